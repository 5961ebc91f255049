package com.magicdistill.workflows;

import java.util.Map;

/** How a run ended and every stage's outputs (by slug). */
public record RunResult(String runId, String status, Map<String, StageOutputs> outputs) {}
