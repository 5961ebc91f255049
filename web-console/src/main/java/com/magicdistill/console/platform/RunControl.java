package com.magicdistill.console.platform;

import com.magicdistill.workflows.PipelineClient.LiveHeartbeat;
import com.magicdistill.workflows.PipelineClient.QueuePollers;
import com.magicdistill.workflows.RunSpec;
import java.util.Optional;

/**
 * What the console asks of Temporal: start a recorded run, signal it, read its live heartbeat and
 * who polls a queue. Backed by {@code PipelineClient}; tests use a fake.
 */
public interface RunControl {
  /** Starts the workflow of a run already recorded as QUEUED; a second start is a no-op. */
  void start(RunSpec spec);

  void pause(String runId);

  void resume(String runId);

  void cancel(String runId, String reason);

  /** The running stage's heartbeat from the service (no workflow query), if a stage runs. */
  Optional<LiveHeartbeat> heartbeat(String runId);

  QueuePollers pollers(String taskQueue);
}
