package com.magicdistill.engine.data;

/**
 * What {@link SyntheticDataset#generate} makes.
 *
 * @param seed master seed; the same spec always yields byte-identical clips
 * @param shape geometry of every clip
 * @param portraits number of clean portrait clips
 * @param general number of general (non-portrait) clips
 * @param poorPerDefect number of poor clips per {@link Defect} (other than NONE)
 * @param motionModel how portraits (clean and poor) move; null means {@link MotionModel#V1}
 */
public record SynthSpec(
    long seed,
    ClipShape shape,
    int portraits,
    int general,
    int poorPerDefect,
    MotionModel motionModel) {
  public SynthSpec {
    if (portraits < 0 || general < 0 || poorPerDefect < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
    motionModel = motionModel == null ? MotionModel.V1 : motionModel;
  }

  /** A spec of the original data ({@link MotionModel#V1}). */
  public SynthSpec(long seed, ClipShape shape, int portraits, int general, int poorPerDefect) {
    this(seed, shape, portraits, general, poorPerDefect, MotionModel.V1);
  }
}
