package com.magicdistill.workflows;

import java.util.Map;

/**
 * What the evaluate stage produces.
 *
 * @param report key of the evaluation report (JSON)
 */
public record EvaluateOutputs(String report) {
  public static final ArtifactKey REPORT = new ArtifactKey(PipelineStage.EVALUATE, "report");

  /** The report with the flattened scores as the stage's metrics. */
  public StageOutputs withMetrics(Map<String, Double> metrics) {
    return new StageOutputs(Map.of(REPORT.name(), report), metrics);
  }
}
