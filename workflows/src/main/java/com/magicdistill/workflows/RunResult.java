package com.magicdistill.workflows;

import java.util.Map;

/**
 * How a run ended (SUCCEEDED or CANCELLED; a failed run fails the workflow) and every stage's
 * outputs (by slug).
 */
public record RunResult(String runId, RunStatus status, Map<String, StageOutputs> outputs) {}
