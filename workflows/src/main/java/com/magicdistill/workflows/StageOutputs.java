package com.magicdistill.workflows;

import java.util.Map;

/**
 * What a finished stage produced: object keys (and hashes) under {@code artifacts}, and summary
 * numbers under {@code metrics}. Downstream stages see the artifacts as {@code <slug>.<name>}.
 */
public record StageOutputs(Map<String, String> artifacts, Map<String, Double> metrics) {
  public StageOutputs {
    artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }
}
