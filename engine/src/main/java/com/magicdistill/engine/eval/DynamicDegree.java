package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * VBench dynamic degree: the fraction of clips that move.
 *
 * <p>For each consecutive frame pair, the flow from {@link MotionEstimator} gives per-pixel
 * magnitudes; the pair's score is the mean of the top 5% of them. A pair is moving if its score
 * exceeds the threshold. A clip is dynamic if at least {@code max(1, round(4 * P / 16))} of its
 * {@code P = T - 1} pairs move (VBench's count rule, 4 of 16, scaled to the clip length), i.e. if
 * its {@link #clipScore} exceeds the threshold.
 *
 * <p>The threshold is either VBench's {@code 6 * min(H, W) / 256} pixels (6 px at a 256 px short
 * side, scaled: 0.75 px at 32x32; the no-argument constructor) or a fixed value calibrated on real
 * held-out clips ({@link DynamicDegreeCalibration#on}), see docs/EVALUATION.md.
 */
public final class DynamicDegree {
  public static final double TOP_FRACTION = 0.05;

  private final MotionEstimator estimator;

  /** Threshold in pixels, or NaN for VBench's size-scaled default. */
  private final double thresholdPx;

  /** Pair scores already computed, by clip instance; null: compute every time. */
  private final Map<Clip, double[]> remembered;

  public DynamicDegree() {
    this(new MotionEstimator());
  }

  public DynamicDegree(MotionEstimator estimator) {
    this(estimator, Double.NaN);
  }

  /**
   * @param estimator flow estimator
   * @param thresholdPx fixed pair threshold in pixels (e.g. {@link
   *     DynamicDegreeCalibration#thresholdPx()})
   */
  public DynamicDegree(MotionEstimator estimator, double thresholdPx) {
    this(estimator, thresholdPx, null);
  }

  private DynamicDegree(
      MotionEstimator estimator, double thresholdPx, Map<Clip, double[]> remembered) {
    this.estimator = estimator;
    this.thresholdPx = thresholdPx;
    this.remembered = remembered;
  }

  /**
   * The same scorer, computing each clip instance's pair scores (the flow, most of the cost) once:
   * one evaluation asks for them three times per generated clip (motion ratio, dynamic degree, its
   * interval). Scores are unchanged; keep the instance only as long as its clips.
   */
  public DynamicDegree rememberingPairScores() {
    return new DynamicDegree(
        estimator, thresholdPx, Collections.synchronizedMap(new IdentityHashMap<>()));
  }

  /** Fraction of {@code clips} that are dynamic, in [0, 1]. */
  public double of(List<Clip> clips) {
    int dynamic = 0;
    for (Clip clip : clips) {
      dynamic += isDynamic(clip) ? 1 : 0;
    }
    return (double) dynamic / clips.size();
  }

  public boolean isDynamic(Clip clip) {
    return clipScore(clip) > thresholdFor(clip.shape().height(), clip.shape().width());
  }

  /** The pair threshold this instance applies to frames of {@code height x width}, in pixels. */
  public double thresholdFor(int height, int width) {
    return Double.isNaN(thresholdPx) ? threshold(height, width) : thresholdPx;
  }

  /** VBench's size-scaled pair threshold, in pixels. */
  public static double threshold(int height, int width) {
    return 6.0 * Math.min(height, width) / 256.0;
  }

  /** Pairs that must move for a clip of {@code frames} frames to be dynamic. */
  public static int pairsNeeded(int frames) {
    return Math.max(1, (int) Math.round(4.0 * (frames - 1) / 16.0));
  }

  /**
   * The {@link #pairsNeeded}-th largest pair score: the clip is dynamic exactly when this exceeds
   * the threshold.
   */
  public double clipScore(Clip clip) {
    double[] s = pairScores(clip);
    Arrays.sort(s);
    return s[s.length - pairsNeeded(clip.frames())];
  }

  /** Per consecutive pair, the mean of the top 5% flow magnitudes, in pixels. */
  public double[] pairScores(Clip clip) {
    if (remembered == null) {
      return computePairScores(clip);
    }
    return remembered.computeIfAbsent(clip, this::computePairScores).clone();
  }

  /** How many clips' pair scores this instance holds (0 unless remembering). */
  int rememberedClips() {
    return remembered == null ? 0 : remembered.size();
  }

  private double[] computePairScores(Clip clip) {
    int h = clip.shape().height();
    int w = clip.shape().width();
    double[] scores = new double[clip.frames() - 1];
    double[] prev = FrameOps.luma(clip, 0);
    for (int t = 1; t < clip.frames(); t++) {
      double[] cur = FrameOps.luma(clip, t);
      double[] m = estimator.flow(prev, cur, h, w).magnitudes();
      Arrays.sort(m);
      int k = Math.max(1, (int) Math.ceil(TOP_FRACTION * m.length));
      double s = 0;
      for (int i = m.length - k; i < m.length; i++) {
        s += m[i];
      }
      scores[t - 1] = s / k;
      prev = cur;
    }
    return scores;
  }
}
