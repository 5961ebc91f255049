package com.magicdistill.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.model.Scalars;
import com.magicdistill.engine.random.StepRandom;

/** Small transformer-MLP-shaped blocks and objectives for the training tests. */
final class TinyModels {
  private TinyModels() {}

  /** LayerNorm(last axis) -> Linear(hidden) -> GELU -> Linear(dim), over (batch, tokens, dim). */
  static SequentialBlock mlp(
      NDManager manager, int batch, int tokens, int dim, int hidden, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    SequentialBlock block = new SequentialBlock();
    block.add(LayerNorm.builder().axis(2).build());
    block.add(Linear.builder().setUnits(hidden).build());
    block.add(Activation.geluBlock());
    block.add(Linear.builder().setUnits(dim).build());
    block.initialize(manager, DataType.FLOAT32, new Shape(batch, tokens, dim));
    return block;
  }

  /** Regression of tanh(x) (times a native scalar) from Gaussian x drawn from the step random. */
  static TrainingObjective regression(int batch, int tokens, int dim) {
    return new TrainingObjective() {
      @Override
      public NDArray loss(NDManager sm, ai.djl.nn.Block model, long step, StepRandom rng) {
        return loss(sm, new ParameterStore(sm, false), model, step, rng);
      }

      @Override
      public NDArray loss(
          NDManager sm, ParameterStore ps, ai.djl.nn.Block model, long step, StepRandom rng) {
        NDArray x = rng.gaussian(sm, new Shape(batch, tokens, dim));
        NDArray y = Scalars.mul(x.tanh(), 0.5f);
        NDArray pred = model.forward(ps, new NDList(x), true).singletonOrThrow();
        return pred.sub(y).square().mean();
      }
    };
  }
}
