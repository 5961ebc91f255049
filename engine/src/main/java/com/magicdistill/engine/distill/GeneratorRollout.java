package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.ClipBatch;

/**
 * Step 1 of a DMD iteration (docs/ALGORITHM.md#dmd-iteration): pick k uniformly from the 4 sampler
 * steps, noise a ground-truth clip to s_k and let the generator denoise it in one call:
 *
 * <pre>
 *   x_in  = (1 - s_k) x_gt + s_k eps
 *   x_gen = x_in - s_k * G(x_in, s_k, c)
 * </pre>
 */
final class GeneratorRollout {
  /** The 4-step sampler's noise levels the generator is trained at: {1, .9375, .8333, .625}. */
  static final double[] STEPS = java.util.Arrays.copyOf(SigmaSchedule.FOUR_STEP.sigmas(), 4);

  private GeneratorRollout() {}

  static NDArray generate(
      Block generator, ParameterStore ps, ClipBatch batch, StepRandom rng, boolean training) {
    NDManager m = batch.x0().getManager();
    int b = batch.size();
    float[] s = new float[b];
    for (int i = 0; i < b; i++) {
      s[i] = (float) STEPS[rng.nextInt(STEPS.length)];
    }
    NDArray sk = m.create(s, new Shape(b));
    NDArray eps = rng.gaussian(m, batch.x0().getShape());
    NDArray xIn = RectifiedFlow.noise(batch.x0(), eps, sk);
    NDArray v =
        generator
            .forward(ps, new NDList(xIn, sk, batch.firstFrames()), training)
            .singletonOrThrow();
    return RectifiedFlow.x0FromVelocity(xIn, v, sk);
  }

  /**
   * Score timesteps: uniform in [min, max], then shifted (docs/ALGORITHM.md#dmd-iteration, step 2).
   */
  static NDArray scoreSigma(DistillConfig cfg, int b, StepRandom rng, NDManager m) {
    float[] s = new float[b];
    for (int i = 0; i < b; i++) {
      double u =
          cfg.scoreSigmaMin() + (cfg.scoreSigmaMax() - cfg.scoreSigmaMin()) * rng.nextDouble();
      s[i] = (float) RectifiedFlow.shift(u, cfg.scoreShift());
    }
    return m.create(s, new Shape(b));
  }
}
