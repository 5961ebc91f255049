package com.magicdistill.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The five stages, each one durable activity, run by GPU workers ({@code ./magic worker --queue
 * gpu}). Implementations heartbeat {@link StageHeartbeat}, checkpoint every N steps or M seconds,
 * resume a retried attempt from the newest valid checkpoint, and stop at the next checkpoint when
 * the workflow cancels them (pause, cancel).
 */
@ActivityInterface
public interface StageActivities {
  @ActivityMethod
  StageOutputs runStage(StageRequest request);
}
