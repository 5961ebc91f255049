package com.magicdistill.engine.data;

/**
 * Limits of the quality filter. Each is checked against one {@link QualityMeasures} value; a clip
 * is kept only when all checks pass.
 *
 * <p>The defaults were calibrated on synthetic 16x32x32 clips (clean portraits vs. the five {@link
 * Defect}s; see {@code docs/DATA_FORMAT.md} for measured ranges) and chosen with a wide margin on
 * both sides so they stay sensible for real talking-head video downsampled to the training size:
 *
 * <ul>
 *   <li>{@code minSharpness = 0.001}: clean portraits measure 0.003 to 0.07, a Gaussian blur of 7%
 *       of the short side brings them below 0.0003. Real downsampled video is at least as sharp as
 *       the synthetic renders.
 *   <li>{@code minMotion = 0.002}, {@code maxMotion = 0.12}: a speaking, slightly swaying head
 *       changes 0.0026 to 0.026 of the luma range per frame at 8 fps; a repeated frame (plus codec
 *       or sensor noise below 0.5%) changes less than 0.0015; above 0.12 the clip is chaotic or
 *       flashing.
 *   <li>{@code maxCutRatio = 6} with {@code minCutJump = 0.05}: a cut is a single colour jump of
 *       more than 5% of the range that is also 6x the median frame change (clean clips: ratio below
 *       1.6; cuts between two portraits: above 9).
 *   <li>{@code minSkinFraction = 0.04}: a face filling 40-60% of the frame height covers 8-30% of
 *       the pixels (face out of frame: below 3%); below 4% in any frame the subject has left the
 *       frame.
 *   <li>{@code maxFlicker = 0.02}: detrended std of mean luma; steady lighting gives below 0.008,
 *       brightness jumping by +-25..45% gives above 0.1.
 * </ul>
 *
 * @param minSharpness minimum {@link QualityMeasures#sharpness}
 * @param minMotion minimum {@link QualityMeasures#motion}
 * @param maxMotion maximum {@link QualityMeasures#motion}
 * @param maxCutRatio maximum {@link QualityMeasures#cutRatio} (only when the jump is large)
 * @param minCutJump a {@link QualityMeasures#maxJump} below this is never called a cut
 * @param minSkinFraction minimum {@link QualityMeasures#minSkinFraction}
 * @param maxFlicker maximum {@link QualityMeasures#flicker}
 */
public record QualityThresholds(
    double minSharpness,
    double minMotion,
    double maxMotion,
    double maxCutRatio,
    double minCutJump,
    double minSkinFraction,
    double maxFlicker) {

  /** The calibrated defaults described above. */
  public static final QualityThresholds DEFAULTS =
      new QualityThresholds(0.001, 0.002, 0.12, 6.0, 0.05, 0.04, 0.02);
}
