package com.magicdistill.workflows;

import java.util.Map;

/**
 * What the evaluate stage produces.
 *
 * @param report key of the evaluation report (JSON): one row per {@link EvaluatedMethod}
 * @param samples prefix of the sample clips, laid out as {@link SampleFiles} says; null when none
 *     were written ({@code evaluate.sampleClips} 0)
 */
public record EvaluateOutputs(String report, String samples) {
  public static final ArtifactKey REPORT = key("report");
  public static final ArtifactKey SAMPLES = key("samples");

  /** The report and samples with the flattened scores as the stage's metrics. */
  public StageOutputs withMetrics(Map<String, Double> metrics) {
    return new StageOutputs(
        samples == null
            ? Map.of(REPORT.name(), report)
            : Map.of(REPORT.name(), report, SAMPLES.name(), samples),
        metrics);
  }

  private static ArtifactKey key(String name) {
    return new ArtifactKey(PipelineStage.EVALUATE, name);
  }
}
