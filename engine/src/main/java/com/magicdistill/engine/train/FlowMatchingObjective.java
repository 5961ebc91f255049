package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.ConfigException;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.random.StepRandom;
import java.util.List;

/**
 * The flow-matching loss (docs/ALGORITHM.md#flow-matching-loss) on a fixed set of clips:
 *
 * <pre>
 *   sigma = shift(sigmoid(u), s), u ~ N(m, 1)    (logit-normal, then shifted; {@link TimestepSampling})
 *   x_sigma = (1 - sigma) x0 + sigma eps
 *   c = x0[frame 0], or zeros with probability firstFrameDropout
 *   L = || v_theta(x_sigma, sigma, c) - (eps - x0) ||^2
 * </pre>
 *
 * The batch, the noise and sigma all come from the step's {@link StepRandom}, so a resumed run sees
 * exactly the batches the uninterrupted run would have seen.
 */
public final class FlowMatchingObjective implements TrainingObjective {
  private final List<Clip> clips;
  private final int batchSize;
  private final TimestepSampling sampling;

  public FlowMatchingObjective(List<Clip> clips, int batchSize, double shift) {
    this(clips, batchSize, TimestepSampling.shifted(shift));
  }

  public FlowMatchingObjective(List<Clip> clips, int batchSize, TimestepSampling sampling) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException(
          "training data is empty: give a dataset with clips that pass the quality filter");
    }
    ConfigException.require(batchSize > 0, "batchSize", "be > 0", batchSize, "a positive count");
    this.clips = List.copyOf(clips);
    this.batchSize = batchSize;
    this.sampling = sampling;
  }

  @Override
  public NDArray loss(NDManager m, Block model, long step, StepRandom rng) {
    ClipBatch batch = ClipBatch.sample(clips, batchSize, rng, m);
    NDArray x0 = batch.x0();
    NDArray first = batch.firstFrames();
    NDArray eps = rng.gaussian(m, x0.getShape());
    float[] sigmas = new float[batchSize];
    for (int i = 0; i < batchSize; i++) {
      sigmas[i] = (float) sampling.sigma(rng.nextGaussian());
    }
    if (sampling.firstFrameDropout() > 0) {
      // drawn after the sigmas, and only when on, so runs without dropout keep their batches
      float[] keep = new float[batchSize];
      for (int i = 0; i < batchSize; i++) {
        keep[i] = rng.nextDouble() < sampling.firstFrameDropout() ? 0f : 1f;
      }
      first = first.mul(m.create(keep, new Shape(batchSize, 1, 1, 1)));
    }
    NDArray sigma = m.create(sigmas, new Shape(batchSize));
    NDArray xSigma = RectifiedFlow.noise(x0, eps, sigma);
    NDArray v =
        model
            .forward(new ParameterStore(m, false), new NDList(xSigma, sigma, first), true)
            .singletonOrThrow();
    return v.sub(RectifiedFlow.velocityTarget(x0, eps)).square().mean();
  }
}
