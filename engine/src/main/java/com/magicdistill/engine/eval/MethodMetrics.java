package com.magicdistill.engine.eval;

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
 */
public record MethodMetrics(
    double fdFrame, double fdClip, VBenchScores vbench, long modelCalls, double wallMsPerClip) {

  /** The same metrics with the wall time measured another way (e.g. a side-by-side timing). */
  public MethodMetrics withWallMsPerClip(double ms) {
    return new MethodMetrics(fdFrame, fdClip, vbench, modelCalls, ms);
  }

  /** Snake-case keys for JSON: fd_frame, fd_clip, vbench, model_calls, wall_ms_per_clip. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fd_frame", fdFrame);
    m.put("fd_clip", fdClip);
    m.put("vbench", vbench.toMap());
    m.put("model_calls", modelCalls);
    m.put("wall_ms_per_clip", wallMsPerClip);
    return m;
  }
}
