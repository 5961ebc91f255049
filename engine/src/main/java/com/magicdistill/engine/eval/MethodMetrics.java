package com.magicdistill.engine.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluation of one sampling method (teacher, student, baseline) on held-out data.
 *
 * @param fdFrame frame-level Fréchet distance (lower is better)
 * @param fdClip clip-level Fréchet distance (lower is better)
 * @param vbench VBench-style dimensions (higher is better)
 * @param modelCalls network evaluations spent generating the clips
 * @param wallMsPerClip wall-clock milliseconds per generated clip
 * @param motionRatio paired motion ratio against the real clips ({@link PairedMotion}), or null
 *     when not measured
 * @param ci95 95% bootstrap intervals by figure key ({@code fd_clip}, {@code motion_ratio}, ...),
 *     empty when not measured
 */
public record MethodMetrics(
    double fdFrame,
    double fdClip,
    VBenchScores vbench,
    long modelCalls,
    double wallMsPerClip,
    Double motionRatio,
    Map<String, Interval> ci95) {

  public MethodMetrics {
    ci95 = Collections.unmodifiableMap(new LinkedHashMap<>(ci95));
  }

  /** Without motion ratio or intervals. */
  public MethodMetrics(
      double fdFrame, double fdClip, VBenchScores vbench, long modelCalls, double wallMsPerClip) {
    this(fdFrame, fdClip, vbench, modelCalls, wallMsPerClip, null, Map.of());
  }

  /** The same metrics with the wall time measured another way (e.g. a side-by-side timing). */
  public MethodMetrics withWallMsPerClip(double ms) {
    return new MethodMetrics(fdFrame, fdClip, vbench, modelCalls, ms, motionRatio, ci95);
  }

  /**
   * Snake-case keys for JSON: fd_frame, fd_clip, motion_ratio (when measured), vbench, model_calls,
   * wall_ms_per_clip, ci95 (when measured: key to {value, lo, hi}).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fd_frame", fdFrame);
    m.put("fd_clip", fdClip);
    if (motionRatio != null) {
      m.put("motion_ratio", motionRatio);
    }
    m.put("vbench", vbench.toMap());
    m.put("model_calls", modelCalls);
    m.put("wall_ms_per_clip", wallMsPerClip);
    if (!ci95.isEmpty()) {
      Map<String, Object> ci = new LinkedHashMap<>();
      ci95.forEach((k, v) -> ci.put(k, v.toMap()));
      m.put("ci95", ci);
    }
    return m;
  }
}
