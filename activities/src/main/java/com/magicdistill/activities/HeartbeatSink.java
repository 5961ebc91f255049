package com.magicdistill.activities;

import com.magicdistill.workflows.StageHeartbeat;

/**
 * Where a stage reports liveness and progress: the Temporal activity context in a worker, nothing
 * when a stage is called directly (benchmarks).
 */
public interface HeartbeatSink {
  /**
   * Reports {@code beat}.
   *
   * @return false when the workflow asked the stage to stop (pause or cancel)
   */
  boolean beat(StageHeartbeat beat);

  HeartbeatSink NONE = beat -> true;
}
