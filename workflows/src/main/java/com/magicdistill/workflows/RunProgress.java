package com.magicdistill.workflows;

import java.util.Map;

/**
 * The workflow's own view of a run, answered by the {@code progress} query. Steps, losses and the
 * ETA of the running stage come from its activity's heartbeat ({@link StageHeartbeat}); {@code
 * PipelineClient#progress} merges both.
 *
 * @param stage slug of the current (or last) stage
 * @param stages slug to state, in pipeline order
 */
public record RunProgress(String runId, State state, String stage, Map<String, StageState> stages) {

  /** A {@link RunStatus}, or on the way to PAUSED or CANCELLED while the stage checkpoints. */
  public enum State {
    QUEUED,
    RUNNING,
    PAUSING,
    PAUSED,
    CANCELLING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** The state of the same name. */
    public static State of(RunStatus status) {
      return valueOf(status.name());
    }
  }

  /** A {@link StageStatus}, or PAUSED: the run is paused on this stage (recorded as RUNNING). */
  public enum StageState {
    PENDING,
    RUNNING,
    PAUSED,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    CACHED,
    REUSED;

    /** The state of the same name. */
    public static StageState of(StageStatus status) {
      return valueOf(status.name());
    }
  }
}
