package com.magicdistill.workflows;

/**
 * The five stages of the MagicDistillation pipeline, in order (docs/ALGORITHM.md#stages).
 *
 * <p>Each stage is one durable activity; the engine class that implements it is named here so a
 * newcomer can find it in one step.
 */
public enum PipelineStage {
  FINE_TUNE("fine-tune", "com.magicdistill.engine.train.TeacherTraining"),
  DMD_LORA("dmd-lora", "com.magicdistill.engine.distill.DistillationStages"),
  W2S("w2s", "com.magicdistill.engine.distill.DistillationStages"),
  EXPORT("export", "com.magicdistill.engine.distill.GeneratorExport"),
  EVALUATE("evaluate", "com.magicdistill.engine.eval.HeldOutEvaluation");

  private final String slug;
  private final String engineEntryPoint;

  PipelineStage(String slug, String engineEntryPoint) {
    this.slug = slug;
    this.engineEntryPoint = engineEntryPoint;
  }

  /** Short lower-case name used in object keys, logs and the CLI. */
  public String slug() {
    return slug;
  }

  /** Where the stage's algorithm lives in the engine. */
  public String engineEntryPoint() {
    return engineEntryPoint;
  }

  /** The stage with this slug, if any. */
  public static java.util.Optional<PipelineStage> bySlug(String slug) {
    for (PipelineStage s : values()) {
      if (s.slug.equals(slug)) {
        return java.util.Optional.of(s);
      }
    }
    return java.util.Optional.empty();
  }

  /** All slugs, in pipeline order, comma-separated (for error messages). */
  public static String slugs() {
    return java.util.Arrays.stream(values())
        .map(PipelineStage::slug)
        .collect(java.util.stream.Collectors.joining(", "));
  }
}
