package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dynamic-degree threshold calibrated on real held-out clips so that a target fraction of them is
 * dynamic (docs/EVALUATION.md#dynamic_degree). Reports state it next to the scores.
 *
 * @param thresholdPx pair threshold in pixels
 * @param targetFraction fraction of the calibration clips meant to be dynamic
 * @param clips number of calibration clips
 * @param achievedFraction fraction of the calibration clips dynamic under {@code thresholdPx}
 */
public record DynamicDegreeCalibration(
    double thresholdPx, double targetFraction, int clips, double achievedFraction) {
  /** The paper's dynamic degree of real video. */
  public static final double DEFAULT_TARGET = 0.7;

  /** {@link #on(List, double)} with {@link #DEFAULT_TARGET}. */
  public static DynamicDegreeCalibration on(List<Clip> real) {
    return on(real, DEFAULT_TARGET);
  }

  /**
   * Sorts the clips' {@link DynamicDegree#clipScore}s {@code s_(1) <= ... <= s_(n)}, lets {@code k
   * = n - round(target * n)} clips be static and puts the threshold halfway between {@code s_(k)}
   * and {@code s_(k+1)} (below {@code s_(1)} by half when {@code k = 0}, at {@code s_(n)} when
   * {@code k = n}). Deterministic; ties at the cut move the achieved fraction off the target.
   */
  public static DynamicDegreeCalibration on(List<Clip> real, double targetFraction) {
    if (real.isEmpty()) {
      throw new IllegalArgumentException("no calibration clips");
    }
    if (!(targetFraction >= 0 && targetFraction <= 1)) {
      throw new IllegalArgumentException(
          "target fraction must be in [0, 1], got " + targetFraction);
    }
    DynamicDegree scorer = new DynamicDegree();
    double[] s = new double[real.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = scorer.clipScore(real.get(i));
    }
    Arrays.sort(s);
    int n = s.length;
    int staticClips = n - (int) Math.round(targetFraction * n);
    double threshold;
    if (staticClips == 0) {
      threshold = 0.5 * s[0];
    } else if (staticClips == n) {
      threshold = s[n - 1];
    } else {
      threshold = 0.5 * (s[staticClips - 1] + s[staticClips]);
    }
    int dynamic = 0;
    for (double v : s) {
      dynamic += v > threshold ? 1 : 0;
    }
    return new DynamicDegreeCalibration(threshold, targetFraction, n, (double) dynamic / n);
  }

  /** The dynamic-degree metric under this threshold. */
  public DynamicDegree dynamicDegree() {
    return new DynamicDegree(new MotionEstimator(), thresholdPx);
  }

  /** Snake-case keys for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("threshold_px", thresholdPx);
    m.put("target_fraction", targetFraction);
    m.put("clips", clips);
    m.put("achieved_fraction", achievedFraction);
    return m;
  }
}
