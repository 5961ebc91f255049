package com.magicdistill.console;

import com.magicdistill.console.platform.RunControl;
import com.magicdistill.workflows.PipelineClient.LiveHeartbeat;
import com.magicdistill.workflows.PipelineClient.QueuePollers;
import com.magicdistill.workflows.RunSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the console asked of Temporal; answers nothing is running. */
public final class FakeRunControl implements RunControl {
  public final List<String> calls = new CopyOnWriteArrayList<>();

  /** What {@link #heartbeat} answers for each run (none: no stage activity pending). */
  public final java.util.Map<String, LiveHeartbeat> heartbeats =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public void start(RunSpec spec) {
    calls.add("start " + spec.runId());
  }

  @Override
  public void pause(String runId) {
    calls.add("pause " + runId);
  }

  @Override
  public void resume(String runId) {
    calls.add("resume " + runId);
  }

  @Override
  public void cancel(String runId, String reason) {
    calls.add("cancel " + runId);
  }

  @Override
  public Optional<LiveHeartbeat> heartbeat(String runId) {
    return Optional.ofNullable(heartbeats.get(runId));
  }

  @Override
  public QueuePollers pollers(String taskQueue) {
    return new QueuePollers(taskQueue, 0, null);
  }
}
