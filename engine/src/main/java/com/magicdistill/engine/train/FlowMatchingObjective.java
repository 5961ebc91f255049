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
 *   sigma = shift(sigmoid(u), s), u ~ N(0, 1)    (logit-normal, then shifted)
 *   x_sigma = (1 - sigma) x0 + sigma eps
 *   L = || v_theta(x_sigma, sigma, x0[frame 0]) - (eps - x0) ||^2
 * </pre>
 *
 * The batch, the noise and sigma all come from the step's {@link StepRandom}, so a resumed run sees
 * exactly the batches the uninterrupted run would have seen.
 */
public final class FlowMatchingObjective implements TrainingObjective {
  private final List<Clip> clips;
  private final int batchSize;
  private final double shift;

  public FlowMatchingObjective(List<Clip> clips, int batchSize, double shift) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException(
          "training data is empty: give a dataset with clips that pass the quality filter");
    }
    ConfigException.require(batchSize > 0, "batchSize", "be > 0", batchSize, "a positive count");
    this.clips = List.copyOf(clips);
    this.batchSize = batchSize;
    this.shift = shift;
  }

  @Override
  public NDArray loss(NDManager m, Block model, long step, StepRandom rng) {
    ClipBatch batch = ClipBatch.sample(clips, batchSize, rng, m);
    NDArray x0 = batch.x0();
    NDArray first = batch.firstFrames();
    NDArray eps = rng.gaussian(m, x0.getShape());
    float[] sigmas = new float[batchSize];
    for (int i = 0; i < batchSize; i++) {
      double u = rng.nextGaussian();
      sigmas[i] = (float) RectifiedFlow.shift(1.0 / (1.0 + Math.exp(-u)), shift);
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
