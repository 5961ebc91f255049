package com.magicdistill.workflows;

import com.magicdistill.workflows.RunProgress.StageState;
import com.magicdistill.workflows.RunProgress.State;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The pipeline's control flow. Deterministic: everything that touches PostgreSQL or S3 is an
 * activity ({@link RunBookkeeping} as local activities of the pipeline worker, {@link
 * StageActivities} on the stage's queue), and only object keys travel between stages.
 *
 * <p>Per stage: skip it if the run already completed it (re-submission after a Temporal restart) or
 * reuses it from another run; else look it up in the stage cache; else run its activity. A stage's
 * success is recorded by the next bookkeeping call (the next stage's lookup, or the run's end), so
 * a stage boundary costs one local activity, and preparing the run looks up its first stage. A
 * pause or cancel signal cancels the running activity, which checkpoints and stops; on resume the
 * stage runs again and continues from that checkpoint.
 */
public class DistillationPipelineImpl implements DistillationPipeline {
  private static final Logger LOG = Workflow.getLogger(DistillationPipelineImpl.class);

  /** Bookkeeping retries: quick first, bounded; a bad spec is never retried. */
  private static final RetryOptions BOOKKEEPING_RETRIES =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setDoNotRetry(InvalidRunSpecException.class.getName(), PipelineFailures.INVALID_CONFIG)
          .build();

  /**
   * Version gate of the bookkeeping calls: histories recorded before it (no marker) used activities
   * on the pipeline queue and replay with them; new runs use local activities (docs/PIPELINE.md).
   */
  static final String LOCAL_BOOKKEEPING = "local-bookkeeping";

  /**
   * Version gate of two bookkeeping calls a stage no longer makes: the cache lookup records the
   * stage as RUNNING on a miss (one call, not two), and the run is marked RUNNING again only after
   * a pause (prepareRun marked it). Histories recorded before it replay with the old calls.
   */
  static final String FEWER_BOOKKEEPING_CALLS = "fewer-bookkeeping-calls";

  /**
   * Version gate of one bookkeeping call per stage boundary: a stage's success is recorded by the
   * call that looks up the next stage (or ends the run), not by a call of its own. Histories
   * recorded before it replay with the separate calls.
   */
  static final String SUCCESS_WITH_NEXT_CALL = "success-with-next-call";

  /**
   * Version gate of the call before the first stage: preparing the run also looks that stage up
   * ({@code prepareRunThenLookup}), one call instead of two. Histories recorded before it replay
   * with the separate calls.
   */
  static final String PREPARE_WITH_FIRST_LOOKUP = "prepare-with-first-lookup";

  /**
   * Version gate of a cancel that arrives while the last stage finishes (its activity returned
   * before it learnt of the cancel): the run ends CANCELLED, as a cancel anywhere earlier ends it;
   * histories recorded before it replay ending SUCCEEDED.
   */
  static final String CANCEL_BEFORE_END_WINS = "cancel-before-end-wins";

  private RunBookkeeping books;
  // whether this run makes the fewer bookkeeping calls (FEWER_BOOKKEEPING_CALLS)
  private boolean fewerCalls;
  // the stage was recorded RUNNING by the cache lookup: its first attempt need not record it again
  private boolean startRecorded;
  // the run was PAUSED in PostgreSQL and must be marked RUNNING before the next attempt
  private boolean pausedRecorded;
  // whether a stage's success goes with the next bookkeeping call (SUCCESS_WITH_NEXT_CALL)
  private boolean successWithNextCall;
  // a stage that succeeded and is not recorded yet: the next bookkeeping call records it
  private StageSuccess unrecordedSuccess;
  // the first stage's cache lookup, made when the run was prepared (PREPARE_WITH_FIRST_LOOKUP)
  private CacheLookup firstLookup;

  /**
   * Bookkeeping as local activities: run by the pipeline worker that runs this workflow (which
   * registers {@link RunBookkeeping}), recorded as markers, without a round trip through a task
   * queue each (about 0.1 s apiece on the test server, four per stage).
   */
  private static RunBookkeeping bookkeeping() {
    int version = Workflow.getVersion(LOCAL_BOOKKEEPING, Workflow.DEFAULT_VERSION, 1);
    if (version == Workflow.DEFAULT_VERSION) {
      return Workflow.newActivityStub(
          RunBookkeeping.class,
          ActivityOptions.newBuilder()
              .setTaskQueue(TaskQueues.PIPELINE)
              .setStartToCloseTimeout(Duration.ofMinutes(2))
              .setRetryOptions(BOOKKEEPING_RETRIES)
              .build());
    }
    return Workflow.newLocalActivityStub(
        RunBookkeeping.class,
        LocalActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(BOOKKEEPING_RETRIES)
            .build());
  }

  private final Map<String, StageState> stages = new LinkedHashMap<>();
  private String runId;
  private State state = State.RUNNING;
  private String stage;
  private boolean pauseRequested;
  private boolean cancelRequested;
  private String cancelReason;
  // Code or data errors of the stage running now (its error budget's count).
  private int errors;

  @Override
  public RunResult run(RunSpec spec) {
    runId = spec.runId();
    books = bookkeeping();
    fewerCalls =
        Workflow.getVersion(FEWER_BOOKKEEPING_CALLS, Workflow.DEFAULT_VERSION, 1)
            != Workflow.DEFAULT_VERSION;
    successWithNextCall =
        fewerCalls
            && Workflow.getVersion(SUCCESS_WITH_NEXT_CALL, Workflow.DEFAULT_VERSION, 1)
                != Workflow.DEFAULT_VERSION;
    boolean prepareWithLookup =
        successWithNextCall
            && Workflow.getVersion(PREPARE_WITH_FIRST_LOOKUP, Workflow.DEFAULT_VERSION, 1)
                != Workflow.DEFAULT_VERSION;
    for (PipelineStage s : PipelineStage.values()) {
      stages.put(s.slug(), StageState.PENDING);
    }
    try {
      spec.validate();
    } catch (InvalidRunSpecException e) {
      state = State.FAILED;
      throw PipelineFailures.invalidConfig(e.getMessage());
    }
    RunPlan plan = prepareWithLookup ? books.prepareRunThenLookup(spec) : books.prepareRun(spec);
    firstLookup = plan.firstLookup();
    Map<String, StageOutputs> outputs = new LinkedHashMap<>();
    Map<String, String> inputs = new LinkedHashMap<>();
    for (PipelineStage s : PipelineStage.values()) {
      stage = s.slug();
      StageOutputs out = plan.done().get(s.slug());
      if (out != null) {
        recordUnrecordedSuccess();
        stages.put(
            s.slug(), StageState.of(plan.how().getOrDefault(s.slug(), StageStatus.SUCCEEDED)));
        LOG.info("{}: {} already done ({})", runId, s.slug(), stages.get(s.slug()));
      } else {
        out = runOrReuse(s, spec, inputs);
        if (out == null) {
          return finish(RunStatus.CANCELLED, cancelReason, outputs);
        }
      }
      outputs.put(s.slug(), out);
      ArtifactKey.addInputs(s, out, inputs);
    }
    if (cancelRequested
        && Workflow.getVersion(CANCEL_BEFORE_END_WINS, Workflow.DEFAULT_VERSION, 1)
            != Workflow.DEFAULT_VERSION) {
      // Accepted while the run was running: it ends CANCELLED, its stages' outputs kept.
      LOG.info("{}: cancel requested while the last stage finished; the run ends CANCELLED", runId);
      return finish(RunStatus.CANCELLED, cancelReason, outputs);
    }
    return finish(RunStatus.SUCCEEDED, null, outputs);
  }

  /** The stage's outputs from the cache or from running it; null if the run was cancelled. */
  private StageOutputs runOrReuse(PipelineStage s, RunSpec spec, Map<String, String> inputs) {
    StageRequest lookup = new StageRequest(runId, s, spec, inputs, null);
    CacheLookup cache;
    if (firstLookup != null) {
      cache = firstLookup;
      firstLookup = null;
    } else if (unrecordedSuccess != null) {
      cache = books.stageSucceededThenLookup(unrecordedSuccess, lookup);
      unrecordedSuccess = null;
    } else {
      cache = fewerCalls ? books.lookupCacheOrStart(lookup) : books.lookupCache(lookup);
    }
    startRecorded = fewerCalls;
    if (cache.cached() != null && spec.cacheEnabled()) {
      stageIs(s, StageStatus.CACHED, cache.cached(), cache.cacheKey());
      LOG.info("{}: {} from the stage cache ({})", runId, s.slug(), cache.cacheKey());
      return cache.cached();
    }
    StageRequest request = new StageRequest(runId, s, spec, inputs, cache.cacheKey());
    try {
      StageOutputs out = runStage(s, spec, request);
      if (out == null) {
        stageIs(s, StageStatus.CANCELLED, null, cache.cacheKey());
        return null;
      }
      if (successWithNextCall) {
        stages.put(s.slug(), StageState.of(StageStatus.SUCCEEDED));
        unrecordedSuccess = new StageSuccess(runId, s, out, cache.cacheKey());
      } else {
        stageIs(s, StageStatus.SUCCEEDED, out, cache.cacheKey());
      }
      return out;
    } catch (ActivityFailure e) {
      stages.put(s.slug(), StageState.FAILED);
      state = State.FAILED;
      String message = rootMessage(e);
      if (PipelineFailures.STAGE_ERROR.equals(failureType(e))) {
        message += " (failed " + errors + " times; retries.errorAttempts is " + errors + ")";
      }
      books.stageStatus(runId, s, StageStatus.FAILED, null, cache.cacheKey());
      books.runStatus(runId, RunStatus.FAILED, s.slug() + ": " + message);
      throw PipelineFailures.stageFailed("stage " + s.slug() + " failed: " + message);
    }
  }

  /**
   * Runs the stage's activity until it completes, honouring pause and cancel and the stage's two
   * budgets (docs/PIPELINE.md#failures); null = cancelled. Temporal retries a lost worker, a drain
   * and an unreachable store itself (preemptions, never counted as errors); a code or data error
   * ends the activity ({@code StageError}) and is counted here: the stage runs again until it has
   * failed {@code retries.errorAttempts} times. After {@code retries.preemptionsBeforeFallback}
   * preemptions its attempts go to {@code retries.fallbackQueue}.
   */
  private StageOutputs runStage(PipelineStage s, RunSpec spec, StageRequest request) {
    RunSpec.RetrySpec budget = spec.retryBudget();
    errors = 0;
    int preemptions = 0;
    while (true) {
      if (pauseRequested && !cancelRequested) {
        state = State.PAUSED;
        stages.put(s.slug(), StageState.PAUSED);
        books.runStatus(runId, RunStatus.PAUSED, null);
        pausedRecorded = true;
        Workflow.await(() -> !pauseRequested || cancelRequested);
      }
      if (cancelRequested) {
        return null;
      }
      boolean onFallback =
          budget.fallbackEnabled() && preemptions >= budget.preemptionsBeforeFallback();
      // On the primary queue with a fallback, Temporal gives up after the preemptions left.
      int maxAttempts =
          budget.fallbackEnabled() && !onFallback
              ? budget.preemptionsBeforeFallback() - preemptions
              : 0;
      String queue = onFallback ? budget.fallbackQueue() : spec.queueOf(s);
      StageActivities activities =
          Workflow.newActivityStub(
              StageActivities.class, stageOptions(queue, spec.heartbeatSeconds(), maxAttempts));
      state = State.RUNNING;
      if (startRecorded) {
        stages.put(s.slug(), StageState.of(StageStatus.RUNNING));
        startRecorded = false;
      } else {
        stageIs(s, StageStatus.RUNNING, null, request.cacheKey());
      }
      if (!fewerCalls || pausedRecorded) {
        books.runStatus(runId, RunStatus.RUNNING, null);
        pausedRecorded = false;
      }
      @SuppressWarnings("unchecked")
      Promise<StageOutputs>[] result = new Promise[1];
      CancellationScope scope =
          Workflow.newCancellationScope(
              () -> {
                result[0] = Async.function(activities::runStage, request);
              });
      scope.run();
      Workflow.await(() -> result[0].isCompleted() || pauseRequested || cancelRequested);
      if (!result[0].isCompleted()) {
        state = cancelRequested ? State.CANCELLING : State.PAUSING;
        scope.cancel();
      }
      try {
        return result[0].get();
      } catch (ActivityFailure e) {
        if (e.getCause() instanceof CanceledFailure && (pauseRequested || cancelRequested)) {
          LOG.info("{}: {} stopped at a checkpoint ({})", runId, s.slug(), state);
          continue;
        }
        if (e.getCause() instanceof ApplicationFailure af
            && PipelineFailures.STAGE_ERROR.equals(af.getType())) {
          errors++;
          preemptions += attemptsBefore(af);
          if (errors >= budget.errorAttempts()) {
            throw e;
          }
          LOG.warn(
              "{}: {} failed ({} of {} attempts): {}",
              runId,
              s.slug(),
              errors,
              budget.errorAttempts(),
              rootMessage(e));
          Workflow.sleep(Duration.ofSeconds(Math.min(15, 1L << (errors - 1))));
          continue;
        }
        if (maxAttempts > 0 && !PipelineFailures.NOT_RETRYABLE.contains(failureType(e))) {
          preemptions += maxAttempts;
          LOG.warn(
              "{}: {} preempted {} times; next attempts on {}",
              runId,
              s.slug(),
              preemptions,
              budget.fallbackQueue());
          continue;
        }
        throw e;
      }
    }
  }

  /** Attempts of the failed activity before the failing one: all lost, drained or unreachable. */
  private static int attemptsBefore(ApplicationFailure stageError) {
    if (stageError.getDetails().getSize() == 0) {
      return 0;
    }
    return Math.max(0, stageError.getDetails().get(Integer.class) - 1);
  }

  private static String failureType(ActivityFailure e) {
    return e.getCause() instanceof ApplicationFailure af ? af.getType() : "";
  }

  /**
   * Stage activity options: retried after 1 s, 2 s, ... up to 15 s (a preempted stage should come
   * back quickly) for at most {@code maxAttempts} attempts (0 = no limit); errors are not retried.
   */
  private static ActivityOptions stageOptions(String queue, int heartbeatSeconds, int maxAttempts) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(Duration.ofDays(3))
        .setHeartbeatTimeout(Duration.ofSeconds(heartbeatSeconds))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofSeconds(15))
                .setMaximumAttempts(maxAttempts)
                .setDoNotRetry(PipelineFailures.NOT_RETRYABLE.toArray(String[]::new))
                .build())
        .build();
  }

  /** Shows the stage's new status in the progress query and records it. */
  private void stageIs(PipelineStage s, StageStatus status, StageOutputs out, String cacheKey) {
    stages.put(s.slug(), StageState.of(status));
    books.stageStatus(runId, s, status, out, cacheKey);
  }

  /** Records a success still waiting for the next bookkeeping call, in a call of its own. */
  private void recordUnrecordedSuccess() {
    if (unrecordedSuccess != null) {
      StageSuccess done = unrecordedSuccess;
      unrecordedSuccess = null;
      books.stageStatus(
          runId, done.stage(), StageStatus.SUCCEEDED, done.outputs(), done.cacheKey());
    }
  }

  private RunResult finish(RunStatus status, String error, Map<String, StageOutputs> outputs) {
    state = State.of(status);
    if (unrecordedSuccess != null) {
      books.stageSucceededThenRunStatus(unrecordedSuccess, status, error);
      unrecordedSuccess = null;
    } else {
      books.runStatus(runId, status, error);
    }
    LOG.info("{}: run {}", runId, status);
    return new RunResult(runId, status, outputs);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c instanceof ApplicationFailure af ? af.getOriginalMessage() : c.getMessage();
  }

  @Override
  public RunProgress progress() {
    return new RunProgress(runId, state, stage, new LinkedHashMap<>(stages));
  }

  @Override
  public void pause() {
    if (state != State.SUCCEEDED && state != State.CANCELLED) {
      pauseRequested = true;
    }
  }

  @Override
  public void resume() {
    pauseRequested = false;
  }

  @Override
  public void cancel(String reason) {
    cancelRequested = true;
    cancelReason = reason == null || reason.isBlank() ? "cancelled" : reason;
  }
}
