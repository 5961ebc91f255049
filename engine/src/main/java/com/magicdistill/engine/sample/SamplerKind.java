package com.magicdistill.engine.sample;

import ai.djl.nn.Block;
import java.util.Locale;

/**
 * How a velocity model is sampled. {@link #EULER} integrates the flow ODE (the teacher, any number
 * of steps). {@link #RENOISE} is the few-step sampler of consistency models and DMD2 generators:
 * predict x0 at each level, then re-noise it with fresh noise to the next level.
 */
public enum SamplerKind {
  EULER,
  RENOISE;

  /** A fresh sampler of this kind over {@code model}; {@code seed} drives re-noising draws. */
  public Sampler create(Block model, SigmaSchedule schedule, long seed) {
    return switch (this) {
      case EULER -> new EulerSampler(model, schedule);
      case RENOISE -> new RenoisingSampler(model, schedule, seed);
    };
  }

  /** Lower-case name used in files and on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SamplerKind byId(String id) {
    for (SamplerKind k : values()) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "sampler: unknown sampler '" + id + "'; choose euler or renoise");
  }
}
