package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/ALGORITHM.md#evaluate: compare generated clips with real held-out clips conditioned on the
 * same first frames.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Fréchet distances (frame and clip level) between {@code generated} and {@code realHeldOut},
   * plus VBench-style dimensions of {@code generated} against {@code conditioningFrames} (one H,W,C
   * frame per generated clip).
   */
  public static MethodMetrics evaluate(
      FeatureExtractor extractor,
      List<Clip> generated,
      List<Clip> realHeldOut,
      List<float[]> conditioningFrames,
      long modelCalls,
      double wallMsPerClip) {
    double fdFrame = FrechetScores.frame(extractor, generated, realHeldOut);
    double fdClip = FrechetScores.clip(extractor, generated, realHeldOut);
    VBenchScores vbench = new VBenchMetrics(extractor).compute(generated, conditioningFrames);
    return new MethodMetrics(fdFrame, fdClip, vbench, modelCalls, wallMsPerClip);
  }

  /**
   * As {@link #evaluate(FeatureExtractor, List, List, List, long, double)}, with {@code
   * dynamic_degree} under {@code calibration}'s threshold, the paired {@code motion_ratio}
   * (generated clip {@code i} against {@code realHeldOut.get(i)}, same first frame; equal sizes
   * required) and 95% bootstrap intervals over clips ({@code ci95}) for {@code fd_frame}, {@code
   * fd_clip}, {@code motion_ratio} and {@code dynamic_degree}.
   */
  public static MethodMetrics evaluate(
      FeatureExtractor extractor,
      List<Clip> generated,
      List<Clip> realHeldOut,
      List<float[]> conditioningFrames,
      long modelCalls,
      double wallMsPerClip,
      DynamicDegreeCalibration calibration,
      Bootstrap bootstrap) {
    Interval fdFrame = FrechetIntervals.frame(extractor, generated, realHeldOut, bootstrap);
    Interval fdClip = FrechetIntervals.clip(extractor, generated, realHeldOut, bootstrap);
    // One flow per clip for the motion ratio, dynamic degree and its interval (same scores).
    DynamicDegree dd = calibration.dynamicDegree().rememberingPairScores();
    Interval motion = new PairedMotion(dd).ratio(generated, realHeldOut, bootstrap);
    VBenchScores vbench = new VBenchMetrics(extractor, dd).compute(generated, conditioningFrames);
    double[] dynamic = new double[generated.size()];
    for (int i = 0; i < dynamic.length; i++) {
      dynamic[i] = dd.isDynamic(generated.get(i)) ? 1 : 0;
    }
    Map<String, Interval> ci95 = new LinkedHashMap<>();
    ci95.put("fd_frame", fdFrame);
    ci95.put("fd_clip", fdClip);
    ci95.put("motion_ratio", motion);
    ci95.put("dynamic_degree", bootstrap.mean(dynamic));
    return new MethodMetrics(
        fdFrame.value(), fdClip.value(), vbench, modelCalls, wallMsPerClip, motion.value(), ci95);
  }
}
