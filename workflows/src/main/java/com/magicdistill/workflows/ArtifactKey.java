package com.magicdistill.workflows;

import java.util.Map;

/**
 * One named artifact of a stage, e.g. {@link FineTuneOutputs#TEACHER}. A stage stores it in its
 * {@link StageOutputs#artifacts()} under {@link #name()}; later stages read it from their {@link
 * StageRequest#inputs()} under {@link #inputName()}.
 */
public record ArtifactKey(PipelineStage stage, String name) {
  /** The key downstream stages see: {@code <stage slug>.<name>}, e.g. {@code fine-tune.teacher}. */
  public String inputName() {
    return stage.slug() + "." + name;
  }

  /**
   * Adds every artifact of {@code stage}'s outputs to {@code inputs} under its {@link #inputName}.
   */
  public static void addInputs(PipelineStage stage, StageOutputs out, Map<String, String> inputs) {
    out.artifacts().forEach((k, v) -> inputs.put(new ArtifactKey(stage, k).inputName(), v));
  }
}
