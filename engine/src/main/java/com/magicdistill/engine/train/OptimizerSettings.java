package com.magicdistill.engine.train;

import static com.magicdistill.engine.ConfigException.require;

/**
 * Checks of the optimizer settings that training and LCM distillation share, so both name a bad
 * value the same way ({@link com.magicdistill.engine.ConfigException} with the field).
 */
public final class OptimizerSettings {
  private OptimizerSettings() {}

  public static void steps(int steps) {
    require(steps > 0, "steps", "be > 0", steps, "use a positive step count");
  }

  public static void lr(float lr) {
    require(lr > 0 && Float.isFinite(lr), "lr", "be a finite number > 0", lr, "for example 1e-4");
  }

  /** An exponential-average decay in [0, 1), e.g. {@code emaDecay}. */
  public static void decay(String field, float decay, String usual) {
    require(decay >= 0 && decay < 1, field, "be in [0, 1)", decay, usual);
  }

  public static void checkpointEvery(int every) {
    require(
        every >= 0,
        "checkpointEvery",
        "be >= 0",
        every,
        "0 (final checkpoint only) or a positive step count");
  }

  /** Every AdamW setting of a training run. */
  public static void adamW(float weightDecay, float beta1, float beta2, float eps, float gradClip) {
    require(
        weightDecay >= 0 && Float.isFinite(weightDecay),
        "weightDecay",
        "be >= 0",
        weightDecay,
        "0 or a small value (0.01)");
    require(beta1 >= 0 && beta1 < 1, "beta1", "be in [0, 1)", beta1, "usually 0.9");
    require(beta2 >= 0 && beta2 < 1, "beta2", "be in [0, 1)", beta2, "usually 0.999");
    require(eps > 0 && Float.isFinite(eps), "eps", "be a finite number > 0", eps, "usually 1e-8");
    require(
        gradClip >= 0 && Float.isFinite(gradClip),
        "gradClip",
        "be >= 0",
        gradClip,
        "0 (no clipping) or a norm like 1.0");
  }
}
