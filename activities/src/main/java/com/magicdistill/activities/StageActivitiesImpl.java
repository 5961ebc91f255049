package com.magicdistill.activities;

import com.magicdistill.storage.StaleAttemptException;
import com.magicdistill.workflows.PipelineFailures;
import com.magicdistill.workflows.StageActivities;
import com.magicdistill.workflows.StageHeartbeat;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stage activities on a worker: each call runs one attempt through {@link StageRunner} and maps
 * its end onto Temporal. Config errors are non-retryable ({@code InvalidConfig}); a write by a
 * superseded attempt is non-retryable ({@code StaleAttempt}); a stop the workflow asked for is
 * reported as cancelled; a draining worker fails retryably so another worker resumes; an
 * unreachable store or database is retried with backoff and resumes from the newest checkpoint; any
 * other error (code or data) is a {@code StageError}, which the workflow counts against the stage's
 * error budget.
 */
public final class StageActivitiesImpl implements StageActivities {
  private final StageRunner runner;

  public StageActivitiesImpl(StageRunner runner) {
    this.runner = runner;
  }

  @Override
  public StageOutputs runStage(StageRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    StageHeartbeat last = context.getHeartbeatDetails(StageHeartbeat.class).orElse(null);
    AtomicReference<ActivityCompletionException> stop = new AtomicReference<>();
    HeartbeatSink sink =
        beat -> {
          try {
            context.heartbeat(beat);
            return true;
          } catch (ActivityWorkerShutdownException e) {
            // This worker is draining: WorkerDrain stops the stage and hands it over (a retryable
            // failure); it is not a pause or cancel by the workflow. Workers let heartbeats through
            // while shutting down, so a drain checkpoint being written is not timed out.
            return true;
          } catch (ActivityCompletionException e) {
            stop.compareAndSet(null, e);
            return false;
          }
        };
    StageRunner.Outcome outcome;
    try {
      outcome = runner.run(request, context.getInfo().getAttempt(), last, sink);
    } catch (IllegalArgumentException e) {
      throw PipelineFailures.invalidConfig(e.getMessage());
    } catch (IOException | RuntimeException e) {
      StaleAttemptException stale = StageRunner.staleAttempt(e);
      if (stale != null) {
        throw PipelineFailures.staleAttempt(stale.getMessage());
      }
      if (StageFailures.unreachable(e)) {
        throw Activity.wrap(e);
      }
      throw PipelineFailures.stageError(
          StageFailures.message(e), e, context.getInfo().getAttempt());
    }
    if (outcome.stoppedByWorkflow()) {
      throw stop.get();
    }
    if (outcome.drained()) {
      throw PipelineFailures.workerDraining(
          outcome.checkpointSkipped()
              ? "worker is shutting down; a checkpoint of step "
                  + outcome.step()
                  + " would not fit the drain deadline, so the stage resumes from its last"
                  + " checkpoint on another worker"
              : "worker is shutting down; stage checkpointed at step "
                  + outcome.step()
                  + " and resumes on another worker");
    }
    return outcome.outputs();
  }
}
