package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.magicdistill.engine.model.VideoDiT;

/**
 * The trainable side of the critic: the score network (frozen teacher weights W plus the LoRA dW,
 * the only trainable part) and, when the GAN term is on, the discriminator head. One block, so one
 * optimiser and one checkpoint hold all of it. Its forward pass is the score network's.
 */
public final class FakeScore extends AbstractBlock {
  private final VideoDiT score;
  private final GanHead gan;

  FakeScore(VideoDiT score, boolean withGan) {
    this.score = addChildBlock("score", score);
    this.gan = withGan ? addChildBlock("gan", new GanHead(score.config().dim())) : null;
  }

  public VideoDiT score() {
    return score;
  }

  /** The GAN head, or null when the GAN term is off. */
  GanHead gan() {
    return gan;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return score.forward(ps, inputs, training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    score.initialize(manager, dataType, shapes);
    if (gan != null) {
      gan.initialize(manager, dataType, new Shape(1, score.config().dim()));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
