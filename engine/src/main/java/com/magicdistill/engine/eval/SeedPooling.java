package com.magicdistill.engine.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A method trained with several seeds, as one row (docs/EVALUATION.md#training-seeds): every figure
 * is the mean over seeds of the seed's figure on all clips, and the 95% intervals of {@code
 * fd_clip}, {@code motion_ratio} and {@code dynamic_degree} come from {@link
 * Bootstrap#overSeedsAndClips}, so they hold the spread between seeds as well as between clips.
 * {@code fd_frame} gets no interval here (a full-dimension Fréchet draw per seed, about 36 s each).
 */
public final class SeedPooling {
  private SeedPooling() {}

  /** The pooled row and each seed's own figures (no intervals), in seed order. */
  public record Pooled(MethodMetrics metrics, List<MethodMetrics> perSeed) {
    public int seeds() {
      return perSeed.size();
    }
  }

  public static Pooled pool(List<SeedRun> runs, Bootstrap bootstrap) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no seeds to pool");
    }
    int s = runs.size();
    int n = runs.get(0).clips();
    for (SeedRun r : runs) {
      if (r.clips() != n) {
        throw new IllegalArgumentException(
            "every seed must score the same " + n + " held-out clips, got " + r.clips());
      }
    }
    FrechetIntervals.Resampler[] fd = new FrechetIntervals.Resampler[s];
    for (int k = 0; k < s; k++) {
      fd[k] =
          new FrechetIntervals.Resampler(
              rows(runs.get(k).clipFeatures()), rows(runs.get(k).realClipFeatures()));
    }
    Interval fdClip = bootstrap.overSeedsAndClips(s, n, (k, idx) -> fd[k].fd(idx, idx));
    Interval motion =
        bootstrap.overSeedsAndClips(
            s,
            n,
            (k, idx) -> {
              double a = 0;
              double b = 0;
              for (int i : idx) {
                a += runs.get(k).motionEnergies()[i];
                b += runs.get(k).realMotionEnergies()[i];
              }
              return a / b;
            });
    Interval dynamic =
        bootstrap.overSeedsAndClips(
            s,
            n,
            (k, idx) -> {
              double a = 0;
              for (int i : idx) {
                a += runs.get(k).dynamicFlags()[i];
              }
              return a / idx.length;
            });
    List<MethodMetrics> points = runs.stream().map(SeedRun::points).toList();
    double fdClipMean = mean(points, MethodMetrics::fdClip);
    double motionMean = mean(points, m -> m.motionRatio());
    Map<String, Interval> ci95 = new LinkedHashMap<>();
    // The values are the seeds' own figures (FrechetDistance on all clips), averaged.
    ci95.put("fd_clip", new Interval(fdClipMean, fdClip.lo(), fdClip.hi()));
    ci95.put("motion_ratio", new Interval(motionMean, motion.lo(), motion.hi()));
    ci95.put("dynamic_degree", dynamic);
    MethodMetrics first = points.get(0);
    MethodMetrics pooled =
        new MethodMetrics(
            mean(points, MethodMetrics::fdFrame),
            fdClipMean,
            VBenchScores.of(
                mean(points, m -> m.vbench().i2vSubject()),
                mean(points, m -> m.vbench().subjectConsistency()),
                mean(points, m -> m.vbench().motionSmoothness()),
                mean(points, m -> m.vbench().dynamicDegree()),
                mean(points, m -> m.vbench().imagingQuality()),
                mean(points, m -> m.vbench().temporalFlickering())),
            first.modelCalls(),
            mean(points, MethodMetrics::wallMsPerClip),
            motionMean,
            ci95);
    return new Pooled(pooled, points);
  }

  private static double mean(List<MethodMetrics> points, ToDoubleFunction<MethodMetrics> f) {
    double s = 0;
    for (MethodMetrics m : points) {
      s += f.applyAsDouble(m);
    }
    return s / points.size();
  }

  /** One row per clip, as {@link FrechetIntervals} resamples clip features. */
  private static double[][][] rows(double[][] perClip) {
    double[][][] out = new double[perClip.length][][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new double[][] {perClip[i]};
    }
    return out;
  }
}
