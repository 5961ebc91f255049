package com.magicdistill.workflows;

import java.util.Map;

/**
 * What the workflow hands a stage activity: object keys, never tensors.
 *
 * @param inputs the upstream stages' outputs, keyed {@code <stage slug>.<name>} (e.g. {@code
 *     fine-tune.teacher})
 * @param cacheKey the stage cache key the outputs will be stored under
 */
public record StageRequest(
    String runId, PipelineStage stage, RunSpec spec, Map<String, String> inputs, String cacheKey) {
  public StageRequest {
    inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
  }

  /**
   * The upstream artifact {@code key}, or an error naming the stage that should have produced it.
   */
  public String input(ArtifactKey key) {
    return input(key.inputName());
  }

  /** The input {@code key}, or an error naming the stage that should have produced it. */
  public String input(String key) {
    String v = inputs.get(key);
    if (v == null) {
      throw new IllegalStateException(
          stage.slug() + " needs input '" + key + "' but the upstream stages did not produce it");
    }
    return v;
  }
}
