package com.magicdistill.engine.data;

/**
 * What {@link SyntheticDataset#generate} makes.
 *
 * @param seed master seed; the same spec always yields byte-identical clips
 * @param shape geometry of every clip
 * @param portraits number of clean portrait clips
 * @param general number of general (non-portrait) clips
 * @param poorPerDefect number of poor clips per {@link Defect} (other than NONE)
 */
public record SynthSpec(long seed, ClipShape shape, int portraits, int general, int poorPerDefect) {
  public SynthSpec {
    if (portraits < 0 || general < 0 || poorPerDefect < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
  }
}
