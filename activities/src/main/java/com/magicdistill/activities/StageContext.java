package com.magicdistill.activities;

import com.magicdistill.db.Repositories;
import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.train.StageControl;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one stage as its body sees it: the spec and settings, the (fenced) object store,
 * where its objects go ({@code runs/<runId>/<stage>/...}), listeners for the engine (heartbeats,
 * metrics and checkpoint rows: {@link StageProgress}) and the stop request the engine polls. The
 * pause/stop path is drawn in docs/PIPELINE.md.
 */
public final class StageContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StageContext.class);
  private static final int METRIC_BATCH = 50;
  private static final Duration METRIC_FLUSH_EVERY = Duration.ofSeconds(1);

  private final RunSpec spec;
  private final PipelineStage stage;
  private final StageSettings settings;
  private final ObjectStore store;
  private final Repositories repositories;
  private final WorkerDrain drain;
  private final Path workDir;
  private final HeartbeatPump heartbeats;
  private final MetricBuffer metrics;
  private final StageProgress progress;
  private volatile boolean stopRequested;
  // How long this attempt's last checkpoint took to write; NaN before the first.
  private volatile double lastSaveSeconds = Double.NaN;
  private volatile boolean stopCheckpointSkipped;

  /**
   * Starts heartbeating at once.
   *
   * @param timing heartbeat interval and stall limit
   */
  StageContext(
      RunSpec spec,
      PipelineStage stage,
      ObjectStore store,
      Repositories repositories,
      long attemptId,
      HeartbeatSink heartbeat,
      WorkerDrain drain,
      Path workDir,
      HeartbeatPump.Timing timing) {
    this.spec = spec;
    this.stage = stage;
    this.settings = StageSettings.of(spec);
    this.store = store;
    this.repositories = repositories;
    this.drain = drain;
    this.workDir = workDir;
    String name = spec.runId() + " " + stage.slug();
    this.heartbeats = new HeartbeatPump(name, heartbeat, timing, this::workflowAskedToStop);
    this.metrics =
        new MetricBuffer(
            repositories, spec.runId(), stage.slug(), METRIC_BATCH, METRIC_FLUSH_EVERY);
    this.progress =
        new StageProgress(
            name,
            repositories,
            attemptId,
            heartbeats,
            metrics,
            new CheckpointRecorder(
                store, repositories, spec.runId(), stage.slug(), attemptId, spec.checkpoints()));
  }

  public RunSpec spec() {
    return spec;
  }

  public String runId() {
    return spec.runId();
  }

  public StageSettings settings() {
    return settings;
  }

  public ObjectStore store() {
    return store;
  }

  public Repositories repositories() {
    return repositories;
  }

  /** A worker-local scratch folder for this attempt (datasets, packages). */
  public Path workDir() {
    return workDir;
  }

  /** {@code runs/<runId>/<stage>/<parts...>}. */
  public String prefix(String... parts) {
    String[] all = new String[parts.length + 3];
    all[0] = "runs";
    all[1] = spec.runId();
    all[2] = stage.slug();
    System.arraycopy(parts, 0, all, 3, parts.length);
    return ObjectStore.join(all);
  }

  /** Sets the stage's step count (over all its phases) and records it. */
  public void totalSteps(long total) {
    heartbeats.totalSteps(total);
    repositories.stages().startStage(spec.runId(), stage.slug(), null, total);
  }

  /**
   * The engine's handle on this attempt: time-based checkpoints, the stop request, whether a stop
   * checkpoint fits the drain deadline, and each checkpoint's save time (what that is judged by).
   */
  public StageControl control() {
    return new StageControl(
        spec.checkpoints().everySeconds(),
        this::shouldStop,
        this::checkpointOnStop,
        seconds -> lastSaveSeconds = seconds);
  }

  /**
   * Whether a stopping stage writes a checkpoint first: always, unless the worker drains and the
   * checkpoint would not be written before the drain deadline ({@link WorkerDrain}).
   */
  boolean checkpointOnStop() {
    if (!drain.draining() || drain.checkpointFits(lastSaveSeconds)) {
      return true;
    }
    stopCheckpointSkipped = true;
    LOG.info(
        "{} {}: draining with {} s left; the last checkpoint took {} s to write, so none is written"
            + " at step {}",
        spec.runId(),
        stage.slug(),
        String.format("%.1f", drain.secondsLeft()),
        String.format("%.1f", lastSaveSeconds),
        heartbeats.step());
    return false;
  }

  /** Whether this attempt stopped without its stop checkpoint (it would not fit the deadline). */
  public boolean stopCheckpointSkipped() {
    return stopCheckpointSkipped;
  }

  /** Whether the stage should stop at this step (workflow pause/cancel, or the worker drains). */
  public boolean shouldStop() {
    return stopRequested || drain.draining();
  }

  /** Whether the workflow (not a worker shutdown) asked the stage to stop. */
  public boolean stopRequestedByWorkflow() {
    return stopRequested;
  }

  /** The step this attempt reached (over all phases). */
  public long step() {
    return heartbeats.step();
  }

  /** A step without a loss ended (e.g. one method of the evaluation): heartbeats show it. */
  public void stepDone(long step) {
    heartbeats.progressed(step, Double.NaN);
  }

  /** A listener for a training phase whose steps start at {@code offset} in the stage's count. */
  public TrainingListener phaseListener(String phase, long offset) {
    return progress.phaseListener(phase, offset);
  }

  /** A listener for a distribution-matching stage (its iterations are the stage's steps). */
  public DistributionMatching.Listener distillListener(long offset) {
    return progress.distillListener(offset);
  }

  /** Called from the heartbeat thread when a beat finds the activity cancelled (pause, cancel). */
  private void workflowAskedToStop() {
    if (!stopRequested) {
      LOG.info(
          "{} {}: stop requested by the workflow at step {}",
          spec.runId(),
          stage.slug(),
          heartbeats.step());
      stopRequested = true;
    }
  }

  @Override
  public void close() {
    heartbeats.close();
    metrics.flush();
  }
}
