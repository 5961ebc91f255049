package com.magicdistill.engine.data;

import java.util.Locale;

/**
 * How the synthetic portraits move (a data version: clips of one seed differ between models, and
 * figures are only comparable on the same one). {@link #V1} is kept byte for byte so presets and
 * committed figures measured on it stay reproducible.
 */
public enum MotionModel {
  /**
   * Small, nearly deterministic motion: sway 0.6-1.6 px, roll 1-5 degrees, one sway phase for x, y
   * and roll, a mouth of about 4x3 px (docs/DATA_FORMAT.md).
   */
  V1,
  /**
   * Motion that the first frame does not predict (issue 11, step 2): horizontal sway of 3.2-5.8 px
   * amplitude plus a random-sign drift of 2.4-5.8 px over 16 frames (at 32 px), roll 4-12 degrees,
   * x, y and roll with independent phases, sway speed 0.35-1.1 Hz varying within the clip (a chirp
   * of up to 0.4 Hz/s); 30% of clips keep the head still and speak without pauses. Mouth and eyes
   * are drawn larger (mouth opening up to about 5 px at 32x32) and every clip blinks 1-3 times.
   */
  V2;

  /** Parses {@code v1} / {@code v2} (any case); unknown names fail with the list. */
  public static MotionModel parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "motionModel: unknown motion model '" + name + "'; choose v1 or v2", e);
    }
  }
}
