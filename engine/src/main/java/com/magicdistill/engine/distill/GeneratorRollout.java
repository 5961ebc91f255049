package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.ClipBatch;

/**
 * Step 1 of a DMD iteration (docs/ALGORITHM.md#dmd-iteration): pick k uniformly from the 4 sampler
 * steps, bring a clip to s_k and let the generator denoise it in one call. By default the input is
 * a noised ground-truth clip:
 *
 * <pre>
 *   x_in  = (1 - s_k) x_gt + s_k eps
 *   x_gen = x_in - s_k * G(x_in, s_k, c)
 * </pre>
 *
 * With backward simulation (docs/ALGORITHM.md#backward-simulation; DMD2's {@code
 * --backward_simulation}, FastVideo's {@code rollout_mode: simulate}) the input is where the
 * generator's own 4-step sampling from pure noise stands at s_k, under no gradient:
 *
 * <pre>
 *   x_0 = eps                                                    (s_0 = 1)
 *   x_{i+1} = (1 - s_{i+1}) (x_i - s_i G(x_i, s_i, c)) + s_{i+1} eps_{i+1}     i < k
 *   x_in = x_k
 * </pre>
 *
 * The re-noising draws eps_{i+1} come from their own stream of the step, so switching the
 * simulation on does not move the draws that follow (score timesteps, score noise).
 */
final class GeneratorRollout {
  /** The 4-step sampler's noise levels the generator is trained at: {1, .9375, .8333, .625}. */
  static final double[] STEPS = java.util.Arrays.copyOf(SigmaSchedule.FOUR_STEP.sigmas(), 4);

  private GeneratorRollout() {}

  /** Stream of the step's random numbers that the backward simulation's re-noising draws use. */
  static final int SIMULATION_STREAM = 1;

  static NDArray generate(
      Block generator,
      ParameterStore ps,
      ClipBatch batch,
      StepRandom rng,
      boolean training,
      boolean backwardSimulation) {
    NDManager m = batch.x0().getManager();
    int b = batch.size();
    int[] k = new int[b];
    float[] s = new float[b];
    for (int i = 0; i < b; i++) {
      k[i] = rng.nextInt(STEPS.length);
      s[i] = (float) STEPS[k[i]];
    }
    NDArray sk = m.create(s, new Shape(b));
    NDArray eps = rng.gaussian(m, batch.x0().getShape());
    NDArray xIn =
        backwardSimulation
            ? simulate(generator, ps, batch, eps, k, rng.stream(SIMULATION_STREAM))
            : RectifiedFlow.noise(batch.x0(), eps, sk);
    NDArray v =
        generator
            .forward(ps, new NDList(xIn, sk, batch.firstFrames()), training)
            .singletonOrThrow();
    return RectifiedFlow.x0FromVelocity(xIn, v, sk);
  }

  /**
   * The generator's own 4-step rollout from {@code eps}, stopped per sample at its level k: the
   * whole batch walks the levels up to the largest k, each sample keeps the state of its own k.
   */
  static NDArray simulate(
      Block generator, ParameterStore ps, ClipBatch batch, NDArray eps, int[] k, StepRandom rng) {
    NDManager m = eps.getManager();
    int b = k.length;
    int maxK = java.util.Arrays.stream(k).max().orElse(0);
    try (var noGrad = NoGrad.enter()) {
      NDArray x = eps;
      NDArray xIn = selectLevel(eps, k, 0);
      for (int i = 0; i < maxK; i++) {
        NDArray si = m.full(new Shape(b), (float) STEPS[i]);
        NDArray v =
            generator.forward(ps, new NDList(x, si, batch.firstFrames()), false).singletonOrThrow();
        NDArray x0 = RectifiedFlow.x0FromVelocity(x, v, si);
        NDArray next = m.full(new Shape(b), (float) STEPS[i + 1]);
        x = RectifiedFlow.noise(x0, rng.gaussian(m, eps.getShape()), next);
        xIn = xIn.add(selectLevel(x, k, i + 1));
      }
      return xIn.stopGradient();
    }
  }

  /** {@code x} on the samples whose level is {@code level}, zero elsewhere. */
  private static NDArray selectLevel(NDArray x, int[] k, int level) {
    float[] mask = new float[k.length];
    for (int i = 0; i < k.length; i++) {
      mask[i] = k[i] == level ? 1f : 0f;
    }
    return x.mul(RectifiedFlow.broadcast(x.getManager().create(mask, new Shape(k.length)), x));
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
