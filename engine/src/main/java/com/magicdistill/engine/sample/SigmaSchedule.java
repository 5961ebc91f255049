package com.magicdistill.engine.sample;

import com.magicdistill.engine.ConfigException;
import com.magicdistill.engine.model.RectifiedFlow;

/**
 * Sampler noise levels: N+1 sigmas from 1 to 0, uniform then shifted (docs/ALGORITHM.md#samplers).
 * With steps = 4 and shift = 5 this gives {1, .9375, .8333, .625, 0}, the distilled generator's
 * schedule.
 */
public record SigmaSchedule(int steps, double shift) {
  public SigmaSchedule {
    ConfigException.require(steps > 0, "steps", "be > 0", steps, "a positive step count");
    ConfigException.require(shift > 0, "shift", "be > 0", shift, "1 for no shift");
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
