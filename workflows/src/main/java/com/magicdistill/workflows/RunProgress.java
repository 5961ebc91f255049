package com.magicdistill.workflows;

import java.util.Map;

/**
 * The workflow's own view of a run, answered by the {@code progress} query. Steps, losses and the
 * ETA of the running stage come from its activity's heartbeat ({@link StageHeartbeat}); {@code
 * PipelineClient#progress} merges both.
 *
 * @param state RUNNING, PAUSING, PAUSED, CANCELLING, SUCCEEDED, FAILED or CANCELLED
 * @param stage slug of the current (or last) stage
 * @param stages slug to status (PENDING, RUNNING, SUCCEEDED, CACHED, REUSED, PAUSED, FAILED,
 *     CANCELLED), in pipeline order
 */
public record RunProgress(String runId, String state, String stage, Map<String, String> stages) {}
