package com.magicdistill.engine.train;

/**
 * Learning rate as a function of the 0-based update index: linear warm-up from {@code
 * peak/warmupSteps} to {@code peak} over {@code warmupSteps} updates, then either constant or a
 * cosine decay to {@code floor} at {@code totalSteps}.
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /** The learning rate for update {@code step} (0-based). */
  float at(long step);

  /** Warm-up then constant {@code peak}. */
  static LearningRateSchedule constant(float peak, int warmupSteps) {
    check(peak, warmupSteps);
    return step -> warmup(peak, warmupSteps, step);
  }

  /** Warm-up then cosine decay from {@code peak} to {@code floor} at {@code totalSteps}. */
  static LearningRateSchedule cosine(float peak, int warmupSteps, long totalSteps, float floor) {
    check(peak, warmupSteps);
    if (!(floor >= 0 && floor <= peak)) {
      throw new IllegalArgumentException(
          "floor must be in [0, peak=" + peak + "] (got " + floor + ")");
    }
    if (totalSteps < warmupSteps) {
      throw new IllegalArgumentException(
          "totalSteps must be >= warmupSteps=" + warmupSteps + " (got " + totalSteps + ")");
    }
    return step -> {
      if (step < warmupSteps) {
        return warmup(peak, warmupSteps, step);
      }
      long decaySteps = totalSteps - warmupSteps;
      if (decaySteps <= 0) {
        return floor;
      }
      double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
      double cos = 0.5 * (1.0 + StrictMath.cos(StrictMath.PI * progress));
      return (float) (floor + (peak - floor) * cos);
    };
  }

  private static float warmup(float peak, int warmupSteps, long step) {
    if (step < warmupSteps) {
      return (float) ((double) peak * (step + 1) / warmupSteps);
    }
    return peak;
  }

  private static void check(float peak, int warmupSteps) {
    if (!(peak > 0) || !Float.isFinite(peak)) {
      throw new IllegalArgumentException("peak learning rate must be > 0 (got " + peak + ")");
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0 (got " + warmupSteps + ")");
    }
  }
}
