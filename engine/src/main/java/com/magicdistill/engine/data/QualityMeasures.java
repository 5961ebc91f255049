package com.magicdistill.engine.data;

import com.magicdistill.engine.stats.Median;
import java.util.Arrays;

/**
 * The measurable quality criteria of a clip. Every measure is computed on Rec. 601 luma in [0, 1]
 * (or RGB in [0, 1] where said), so values do not depend on the storage format.
 */
public final class QualityMeasures {
  private QualityMeasures() {}

  /**
   * Sharpness: the mean, over frames and interior pixels, of the squared 4-neighbour Laplacian of
   * luma ({@code 4L(x,y) - L(x-1,y) - L(x+1,y) - L(x,y-1) - L(x,y+1)}). Edges and texture give high
   * values; blur, defocus and heavy compression give low ones. Depends on content contrast and on
   * resolution (measure at the training resolution).
   */
  public static double sharpness(Clip clip) {
    int h = clip.shape().height();
    int w = clip.shape().width();
    double sum = 0;
    for (int t = 0; t < clip.frames(); t++) {
      float[] l = clip.luma(t);
      for (int y = 1; y < h - 1; y++) {
        for (int x = 1; x < w - 1; x++) {
          int i = y * w + x;
          double lap = 4 * l[i] - l[i - 1] - l[i + 1] - l[i - w] - l[i + w];
          sum += lap * lap;
        }
      }
    }
    return sum / ((double) clip.frames() * (h - 2) * (w - 2));
  }

  /**
   * Per-pair motion: for each pair of consecutive frames, the mean absolute luma difference over
   * all pixels (T - 1 values).
   */
  public static double[] lumaDifferences(Clip clip) {
    double[] out = new double[clip.frames() - 1];
    float[] prev = clip.luma(0);
    for (int t = 1; t < clip.frames(); t++) {
      float[] cur = clip.luma(t);
      double s = 0;
      for (int i = 0; i < cur.length; i++) {
        s += Math.abs(cur[i] - prev[i]);
      }
      out[t - 1] = s / cur.length;
      prev = cur;
    }
    return out;
  }

  /**
   * Motion: the mean absolute inter-frame luma difference, averaged over all consecutive frame
   * pairs. About 0 for a frozen clip; very large for chaotic or flashing content.
   */
  public static double motion(Clip clip) {
    return Arrays.stream(lumaDifferences(clip)).average().orElse(0);
  }

  /**
   * Per-pair colour change: for each pair of consecutive frames, the mean absolute difference over
   * all RGB values (T - 1 values). Used for cut detection because a cut between two scenes of equal
   * brightness is invisible in luma but not in colour.
   */
  public static double[] rgbDifferences(Clip clip) {
    int n = clip.shape().frameSize();
    float[] rgb = clip.rgb();
    double[] out = new double[clip.frames() - 1];
    for (int t = 1; t < clip.frames(); t++) {
      double s = 0;
      int a = (t - 1) * n;
      int b = t * n;
      for (int i = 0; i < n; i++) {
        s += Math.abs(rgb[b + i] - rgb[a + i]);
      }
      out[t - 1] = s / n;
    }
    return out;
  }

  /**
   * Largest inter-frame colour change (see {@link #rgbDifferences}): the size of the biggest jump.
   */
  public static double maxJump(Clip clip) {
    return Arrays.stream(rgbDifferences(clip)).max().orElse(0);
  }

  /**
   * Cut ratio: largest inter-frame colour change divided by the median one (plus 0.002 so a static
   * clip does not divide by ~0). A hard cut gives one jump many times the typical frame-to-frame
   * change; smooth motion gives a ratio of a few.
   */
  public static double cutRatio(Clip clip) {
    double[] d = rgbDifferences(clip);
    return Arrays.stream(d).max().orElseThrow() / (Median.of(d) + 0.002);
  }

  /**
   * Fraction of pixels of frame {@code t} classified as skin by the fixed YCbCr rule (see {@code
   * SkinRule}: 77 <= Cb <= 127, 133 <= Cr <= 173).
   */
  public static double skinFraction(Clip clip, int t) {
    int n = clip.shape().height() * clip.shape().width();
    float[] rgb = clip.rgb();
    int base = t * clip.shape().frameSize();
    int skin = 0;
    for (int i = 0; i < n; i++) {
      int p = base + 3 * i;
      if (SkinRule.isSkin(rgb[p], rgb[p + 1], rgb[p + 2])) {
        skin++;
      }
    }
    return (double) skin / n;
  }

  /**
   * Subject presence: the minimum over frames of the skin fraction. A talking head in frame keeps a
   * visible face in every frame, so the weakest frame decides.
   */
  public static double minSkinFraction(Clip clip) {
    double min = 1;
    for (int t = 0; t < clip.frames(); t++) {
      min = Math.min(min, skinFraction(clip, t));
    }
    return min;
  }

  /**
   * Flicker: the standard deviation of per-frame mean luma after removing the least-squares linear
   * trend over time. Slow fades and exposure drifts are linear-ish and removed; frame-to-frame
   * brightness jumps remain.
   */
  public static double flicker(Clip clip) {
    int n = clip.frames();
    double[] m = new double[n];
    for (int t = 0; t < n; t++) {
      float[] l = clip.luma(t);
      double s = 0;
      for (float v : l) {
        s += v;
      }
      m[t] = s / l.length;
    }
    double tMean = (n - 1) / 2.0;
    double mMean = Arrays.stream(m).average().orElse(0);
    double cov = 0;
    double var = 0;
    for (int t = 0; t < n; t++) {
      cov += (t - tMean) * (m[t] - mMean);
      var += (t - tMean) * (t - tMean);
    }
    double slope = cov / var;
    double ss = 0;
    for (int t = 0; t < n; t++) {
      double r = m[t] - (mMean + slope * (t - tMean));
      ss += r * r;
    }
    return Math.sqrt(ss / n);
  }
}
