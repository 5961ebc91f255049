package com.magicdistill.engine.eval;

/**
 * One training seed's clips of a method, scored without intervals and reduced to what the figures
 * pooled over seeds need ({@link SeedPooling}). Clip {@code i} of every array pairs with held-out
 * clip {@code i} (same first frame, same noise for every seed).
 *
 * @param points the seed's figures on all clips (no {@code ci95})
 * @param clipFeatures clip-level features of the generated clips, one row per clip
 * @param realClipFeatures clip-level features of the real held-out clips
 * @param motionEnergies motion energy of each generated clip ({@link PairedMotion})
 * @param realMotionEnergies motion energy of each real held-out clip
 * @param dynamicFlags 1 where a generated clip is dynamic under the calibrated threshold, else 0
 */
public record SeedRun(
    MethodMetrics points,
    double[][] clipFeatures,
    double[][] realClipFeatures,
    double[] motionEnergies,
    double[] realMotionEnergies,
    double[] dynamicFlags) {

  public SeedRun {
    int n = clipFeatures.length;
    if (realClipFeatures.length != n
        || motionEnergies.length != n
        || realMotionEnergies.length != n
        || dynamicFlags.length != n) {
      throw new IllegalArgumentException("a seed's per-clip arrays must pair with " + n + " clips");
    }
  }

  public int clips() {
    return clipFeatures.length;
  }
}
