package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.Arrays;
import java.util.List;

/**
 * VBench dynamic degree: the fraction of clips that move.
 *
 * <p>For each consecutive frame pair, the flow from {@link MotionEstimator} gives per-pixel
 * magnitudes; the pair's score is the mean of the top 5% of them. A pair is moving if its score
 * exceeds {@code thr = 6 * min(H, W) / 256} pixels (VBench's 6 px at a 256 px short side, scaled:
 * 0.75 px at 32x32). A clip is dynamic if at least {@code max(1, round(4 * P / 16))} of its {@code
 * P = T - 1} pairs move (VBench's count rule, 4 of 16, scaled to the clip length).
 */
public final class DynamicDegree {
  public static final double TOP_FRACTION = 0.05;

  private final MotionEstimator estimator;

  public DynamicDegree() {
    this(new MotionEstimator());
  }

  public DynamicDegree(MotionEstimator estimator) {
    this.estimator = estimator;
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
    int h = clip.shape().height();
    int w = clip.shape().width();
    double threshold = threshold(h, w);
    int pairs = clip.frames() - 1;
    int needed = Math.max(1, (int) Math.round(4.0 * pairs / 16.0));
    int moving = 0;
    for (double s : pairScores(clip)) {
      moving += s > threshold ? 1 : 0;
    }
    return moving >= needed;
  }

  public static double threshold(int height, int width) {
    return 6.0 * Math.min(height, width) / 256.0;
  }

  /** Per consecutive pair, the mean of the top 5% flow magnitudes, in pixels. */
  public double[] pairScores(Clip clip) {
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
