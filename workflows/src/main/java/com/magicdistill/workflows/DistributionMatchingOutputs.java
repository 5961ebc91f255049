package com.magicdistill.workflows;

import java.util.Map;

/**
 * What each distribution-matching stage (DMD-LoRA, W2S) produces.
 *
 * @param stage the stage prefix (a later stage continues from it)
 * @param generator the generator's final checkpoint
 * @param critic the critic's (LoRA fake score) final checkpoint
 */
public record DistributionMatchingOutputs(String stage, String generator, String critic) {
  public static final String STAGE = "stage";
  public static final String GENERATOR = "generator";
  public static final String CRITIC = "critic";

  /** The DMD-LoRA stage's prefix, which W2S continues. */
  public static final ArtifactKey DMD_LORA_STAGE = new ArtifactKey(PipelineStage.DMD_LORA, STAGE);

  /** The DMD-LoRA stage's final generator checkpoint: the DMD2-4 row of the evaluation. */
  public static final ArtifactKey DMD_LORA_GENERATOR =
      new ArtifactKey(PipelineStage.DMD_LORA, GENERATOR);

  /** The W2S stage's prefix, whose generator is exported. */
  public static final ArtifactKey W2S_STAGE = new ArtifactKey(PipelineStage.W2S, STAGE);

  /** These artifacts with the stage's summary numbers. */
  public StageOutputs withMetrics(Map<String, Double> metrics) {
    return new StageOutputs(Map.of(STAGE, stage, GENERATOR, generator, CRITIC, critic), metrics);
  }
}
