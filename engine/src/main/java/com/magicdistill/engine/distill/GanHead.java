package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.magicdistill.engine.model.LoraLinear;
import com.magicdistill.engine.model.LoraScale;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.model.Scalars;
import com.magicdistill.engine.model.VideoDiT;

/**
 * DMD2's optional GAN term (docs/ALGORITHM.md#optional-terms): a small discriminator head on the
 * fake score model's intermediate features of a noised clip, trained with the critic; softplus
 * (non-saturating) losses:
 *
 * <pre>
 *   L_D = softplus(-D(real)) + softplus(D(fake))      L_G = softplus(-D(fake))
 * </pre>
 *
 * The head reads the tokens after the first half of the blocks, mean-pooled over tokens.
 */
final class GanHead extends AbstractBlock {
  private final int dim;
  private final LoraLinear fc1;
  private final LoraLinear fc2;

  GanHead(int dim) {
    this.dim = dim;
    LoraScale none = new LoraScale(0f);
    fc1 = addChildBlock("gan_fc1", new LoraLinear(dim, dim, 0, 0, none, false));
    fc2 = addChildBlock("gan_fc2", new LoraLinear(dim, 1, 0, 0, none, false));
  }

  /** Logits (B) of clips {@code x} noised to {@code sigma} with {@code eps}. */
  NDArray logits(
      ParameterStore ps,
      VideoDiT score,
      NDArray x,
      NDArray sigma,
      NDArray eps,
      NDArray first,
      DistillConfig cfg) {
    score.loraScale().set(cfg.alphaStrong());
    NDArray xSigma = RectifiedFlow.noise(x, eps, sigma);
    int depth = Math.max(1, score.config().depth() / 2);
    NDArray tokens = score.features(ps, new NDList(xSigma, sigma, first), true, depth);
    return forward(ps, new NDList(tokens.mean(new int[] {1})), true).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray h = fc1.forward(ps, inputs, training).singletonOrThrow();
    NDArray out = fc2.forward(ps, new NDList(Scalars.silu(h)), training).singletonOrThrow();
    return new NDList(out.reshape(-1));
  }

  /** softplus(x) = max(x, 0) + log(1 + exp(-|x|)), with native scalars only. */
  static NDArray softplus(NDArray x) {
    return Activation.relu(x).add(Scalars.add(x.abs().neg().exp(), 1.0).log());
  }

  static NDArray generatorLoss(NDArray fakeLogits) {
    return softplus(fakeLogits.neg()).mean();
  }

  static NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits) {
    return softplus(realLogits.neg()).mean().add(softplus(fakeLogits).mean());
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    fc1.initialize(manager, dataType, new Shape(1, dim));
    fc2.initialize(manager, dataType, new Shape(1, dim));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0))};
  }
}
