package com.magicdistill.console.platform;

import com.magicdistill.workflows.PipelineClient;
import com.magicdistill.workflows.PipelineClient.LiveHeartbeat;
import com.magicdistill.workflows.PipelineClient.QueuePollers;
import com.magicdistill.workflows.RunSpec;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.Optional;

/** {@link RunControl} on Temporal through {@link PipelineClient}. */
public final class TemporalRunControl implements RunControl {
  private final PipelineClient pipeline;

  public TemporalRunControl(PipelineClient pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void start(RunSpec spec) {
    try {
      pipeline.start(spec);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // started before (a retried request, or the reconciler): nothing to do
    }
  }

  @Override
  public void pause(String runId) {
    pipeline.pause(runId);
  }

  @Override
  public void resume(String runId) {
    pipeline.resume(runId);
  }

  @Override
  public void cancel(String runId, String reason) {
    pipeline.cancel(runId, reason);
  }

  @Override
  public Optional<LiveHeartbeat> heartbeat(String runId) {
    return pipeline.heartbeat(runId);
  }

  @Override
  public QueuePollers pollers(String taskQueue) {
    return pipeline.pollers(taskQueue);
  }
}
