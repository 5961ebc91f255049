package com.magicdistill.workflows;

/**
 * The rows of a run's evaluation report, in report order: every method samples the same held-out
 * first frames from the same noise (docs/EVALUATION.md#a-runs-report). {@link #key()} names the row
 * in {@code report.json}'s {@code methods} and the method's folder of sample clips.
 */
public enum EvaluatedMethod {
  /** The exported package, loaded as a user would, with its own sampler (W2S, 4 steps). */
  EXPORTED_W2S4("exported_w2s4", "W2S-4 (exported)"),
  /** The DMD-LoRA stage's final EMA generator with the 4-step re-noising sampler: DMD2-4. */
  DMD_LORA4("dmd_lora4", "DMD2-4 (DMD-LoRA stage)"),
  /** The fine-tuned teacher (EMA) with 4 Euler steps. */
  TEACHER_EULER4("teacher_euler4", "Teacher Euler-4"),
  /** The fine-tuned teacher (EMA) with the preset's multi-step Euler schedule (28 steps). */
  TEACHER_EULER28("teacher_euler28", "Teacher Euler-28");

  private final String key;
  private final String label;

  EvaluatedMethod(String key, String label) {
    this.key = key;
    this.label = label;
  }

  /** Snake-case row key in the report, e.g. {@code exported_w2s4}. */
  public String key() {
    return key;
  }

  /** What a table shows for the row. */
  public String label() {
    return label;
  }
}
