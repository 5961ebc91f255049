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

  /**
   * One training seed's figures without intervals, with what {@link SeedPooling} needs to pool
   * seeds: the same fd_frame, fd_clip, VBench (dynamic degree under {@code calibration}) and motion
   * ratio as the calibrated {@code evaluate}, plus the per-clip features, motion energies and
   * dynamic flags (clip {@code i} of {@code generated} pairs with {@code realHeldOut.get(i)}).
   */
  public static SeedRun evaluateSeed(
      FeatureExtractor extractor,
      List<Clip> generated,
      List<Clip> realHeldOut,
      List<float[]> conditioningFrames,
      long modelCalls,
      double wallMsPerClip,
      DynamicDegreeCalibration calibration) {
    return evaluateSeed(
        extractor,
        generated,
        realHeldOut,
        FrechetScores.clipFeatures(extractor, realHeldOut),
        new PairedMotion(calibration.dynamicDegree()).energies(realHeldOut),
        conditioningFrames,
        modelCalls,
        wallMsPerClip,
        calibration);
  }

  /**
   * As above with the real clips' clip features and motion energies computed once by the caller
   * (they are the same for every method and seed).
   */
  public static SeedRun evaluateSeed(
      FeatureExtractor extractor,
      List<Clip> generated,
      List<Clip> realHeldOut,
      double[][] realRows,
      double[] realEnergies,
      List<float[]> conditioningFrames,
      long modelCalls,
      double wallMsPerClip,
      DynamicDegreeCalibration calibration) {
    if (generated.size() != realHeldOut.size()) {
      throw new IllegalArgumentException(
          "paired clips needed, got " + generated.size() + " and " + realHeldOut.size());
    }
    double fdFrame = FrechetScores.frame(extractor, generated, realHeldOut);
    double[][] rows = FrechetScores.clipFeatures(extractor, generated);
    double fdClip = FrechetDistance.of(rows, realRows);
    DynamicDegree dd = calibration.dynamicDegree().rememberingPairScores();
    double[] energies = new PairedMotion(dd).energies(generated);
    VBenchScores vbench = new VBenchMetrics(extractor, dd).compute(generated, conditioningFrames);
    double[] dynamic = new double[generated.size()];
    double a = 0;
    double b = 0;
    for (int i = 0; i < dynamic.length; i++) {
      dynamic[i] = dd.isDynamic(generated.get(i)) ? 1 : 0;
      a += energies[i];
      b += realEnergies[i];
    }
    MethodMetrics points =
        new MethodMetrics(fdFrame, fdClip, vbench, modelCalls, wallMsPerClip, a / b, Map.of());
    return new SeedRun(points, rows, realRows, energies, realEnergies, dynamic);
  }
}
