package com.magicdistill.engine.sample;

import com.magicdistill.engine.model.RectifiedFlow;

/**
 * Sampler noise levels: N+1 sigmas from 1 to 0, uniform then shifted (docs/ALGORITHM.md#samplers).
 * With steps = 4 and shift = 5 this gives {1, .9375, .8333, .625, 0}, the distilled generator's
 * schedule.
 */
public record SigmaSchedule(int steps, double shift) {
  public SigmaSchedule {
    if (steps <= 0) {
      throw new IllegalArgumentException(
          "steps must be > 0 (got " + steps + "): set --steps to a positive number");
    }
    if (!(shift > 0)) {
      throw new IllegalArgumentException(
          "shift must be > 0 (got " + shift + "): use 1 for no shift");
    }
  }

  /** The distilled generator's 4-step schedule (shift 5). */
  public static final SigmaSchedule FOUR_STEP = new SigmaSchedule(4, 5.0);

  public double[] sigmas() {
    double[] s = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      s[i] = RectifiedFlow.shift(1.0 - (double) i / steps, shift);
    }
    return s;
  }
}
