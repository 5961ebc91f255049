package com.magicdistill.activities;

import com.magicdistill.db.Repositories;
import com.magicdistill.db.StageRepository;
import com.magicdistill.engine.io.Directories;
import com.magicdistill.storage.FencedObjectStore;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.storage.StaleAttemptException;
import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.StageHeartbeat;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of a stage, with or without Temporal: records the attempt (worker; its start
 * step and checkpoint once the engine reports a resume) and marks older running attempts LOST,
 * fences its writes, calls the {@link Stage}, and records how the attempt ended. {@link
 * StageActivitiesImpl} maps the outcome onto Temporal; benchmarks call it directly.
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  /**
   * How an attempt ended: outputs, or stopped early (by the workflow or a draining worker) at
   * {@code step}, with a checkpoint of it unless {@code checkpointSkipped} (a drain deadline).
   */
  public record Outcome(
      StageOutputs outputs,
      boolean stoppedByWorkflow,
      boolean drained,
      long step,
      boolean checkpointSkipped) {}

  /** How long a stage that made steps may go without one before it stops heartbeating. */
  public static final Duration DEFAULT_STALL_LIMIT = Duration.ofMinutes(30);

  private final Map<PipelineStage, Stage> stages = new EnumMap<>(PipelineStage.class);
  private final ObjectStore store;
  private final Repositories repositories;
  private final WorkerDrain drain;
  private final Path scratch;
  private final String worker;
  private final HeartbeatPump.Timing heartbeat;
  private final String injectedError;
  private final CheckpointObserver checkpoints;

  /** A runner whose stages stall after the default limit (30 minutes without a step). */
  public StageRunner(
      ObjectStore store,
      Repositories repositories,
      WorkerDrain drain,
      Path scratch,
      String worker) {
    this(store, repositories, drain, scratch, worker, DEFAULT_STALL_LIMIT);
  }

  /**
   * @param scratch worker-local folder for datasets and packages (per attempt, deleted after)
   * @param worker this worker's identity, recorded with each attempt
   * @param stallLimit a stage that made steps and then none for this long stops heartbeating, so
   *     Temporal retries it elsewhere
   */
  public StageRunner(
      ObjectStore store,
      Repositories repositories,
      WorkerDrain drain,
      Path scratch,
      String worker,
      Duration stallLimit) {
    this(store, repositories, drain, scratch, worker, stallLimit, null, null);
  }

  /**
   * @param injectedError {@code <run id>/<stage>} whose every attempt fails with a code error
   *     (fault tests: {@code MAGIC_FAULT_STAGE_ERROR}), or null
   */
  public StageRunner(
      ObjectStore store,
      Repositories repositories,
      WorkerDrain drain,
      Path scratch,
      String worker,
      Duration stallLimit,
      String injectedError,
      CheckpointObserver checkpoints) {
    this.injectedError = injectedError;
    this.checkpoints = checkpoints;
    this.heartbeat = HeartbeatPump.Timing.of(stallLimit);
    this.store = store;
    this.repositories = repositories;
    this.drain = drain;
    this.scratch = scratch;
    this.worker = worker;
    stages.put(PipelineStage.FINE_TUNE, new FineTuneStage());
    stages.put(PipelineStage.DMD_LORA, new DmdLoraStage());
    stages.put(PipelineStage.W2S, new W2sStage());
    stages.put(PipelineStage.EXPORT, new ExportStage());
    stages.put(PipelineStage.EVALUATE, new EvaluateStage());
  }

  /**
   * @param attempt Temporal's attempt number (1 for the first)
   * @param last the previous attempt's last heartbeat, or null (logged only)
   */
  public Outcome run(StageRequest request, int attempt, StageHeartbeat last, HeartbeatSink beats)
      throws IOException {
    String runId = request.runId();
    String slug = request.stage().slug();
    // Start step and checkpoint stay 0/null until the engine reports a resume: the previous
    // heartbeat only says what should be there, not what this attempt restored.
    StageRepository attempts = repositories.stages();
    long attemptId = attempts.startAttempt(runId, slug, attempt, worker, 0, null);
    attempts.markAttemptsLost(runId, slug, attemptId);
    if (last != null) {
      LOG.info(
          "{} {}: attempt {} on {} takes over; the previous attempt's last heartbeat was step {}"
              + " with checkpoint {} (step {})",
          runId,
          slug,
          attempt,
          worker,
          last.step(),
          last.checkpointKey(),
          last.checkpointStep());
    } else {
      LOG.info("{} {}: attempt {} on {}", runId, slug, attempt, worker);
    }
    ObjectStore fenced =
        new FencedObjectStore(
            store,
            () -> attempts.isNewestAttempt(attemptId),
            "attempt " + attempt + " of " + runId + "/" + slug + " on " + worker);
    if (checkpoints != null) {
      fenced = new ObservedCheckpointStore(fenced, slug, checkpoints);
    }
    Path work = scratch.resolve(runId).resolve(slug + "-" + attemptId);
    Files.createDirectories(work);
    try (StageContext ctx =
        new StageContext(
            request.spec(),
            request.stage(),
            fenced,
            repositories,
            attemptId,
            beats,
            drain,
            work,
            heartbeat)) {
      try {
        if ((runId + "/" + slug).equals(injectedError)) {
          // a code error by design: counted against the error budget, never retried as a preemption
          throw new IllegalStateException(
              "injected stage error (MAGIC_FAULT_STAGE_ERROR=" + injectedError + ")");
        }
        StageOutputs out = stages.get(request.stage()).run(request, ctx);
        if (out == null) {
          boolean byWorkflow = ctx.stopRequestedByWorkflow();
          boolean skipped = ctx.stopCheckpointSkipped();
          attempts.endAttempt(
              attemptId,
              byWorkflow ? AttemptOutcome.PAUSED : AttemptOutcome.DRAINED,
              ctx.step(),
              skipped ? "drain deadline: no checkpoint of step " + ctx.step() : null);
          LOG.info(
              "{} {}: stopped at step {} ({}{})",
              runId,
              slug,
              ctx.step(),
              byWorkflow ? "workflow asked" : "worker draining",
              skipped ? ", without a checkpoint: it would not fit the drain deadline" : "");
          return new Outcome(null, byWorkflow, !byWorkflow, ctx.step(), skipped);
        }
        attempts.endAttempt(attemptId, AttemptOutcome.SUCCEEDED, ctx.step(), null);
        LOG.info("{} {}: done at step {}: {}", runId, slug, ctx.step(), out.artifacts());
        return new Outcome(out, false, false, ctx.step(), false);
      } catch (RuntimeException | IOException e) {
        attempts.endAttempt(attemptId, outcomeOf(e), ctx.step(), e.toString());
        throw e;
      }
    } finally {
      deleteQuietly(work);
    }
  }

  /**
   * How a failed attempt is recorded: SUPERSEDED when fenced out, LOST when the store or the
   * database was unreachable (a preemption: retried, never counted as an error), else FAILED (a
   * code or data error, counted against the stage's error budget).
   */
  static AttemptOutcome outcomeOf(Throwable e) {
    if (staleAttempt(e) != null) {
      return AttemptOutcome.SUPERSEDED;
    }
    return StageFailures.unreachable(e) ? AttemptOutcome.LOST : AttemptOutcome.FAILED;
  }

  /** The StaleAttemptException behind {@code e}, or null. */
  static StaleAttemptException staleAttempt(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StaleAttemptException s) {
        return s;
      }
    }
    return null;
  }

  private static void deleteQuietly(Path dir) {
    try {
      Directories.deleteRecursively(dir);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete scratch folder {}: {}", dir, e.toString());
    }
  }
}
