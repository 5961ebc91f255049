package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.List;

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
}
