package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.random.StepRandom;

/**
 * The loss of one training step. It samples its own batch and noise from {@code rng} (so a resumed
 * run sees the same data), runs {@code model.forward(parameterStore, inputs, true)} and returns a
 * scalar loss. Everything it creates must live in {@code stepManager}; follow the autograd rules
 * (native scalars, {@code pred.sub(y).square().mean()} for MSE).
 *
 * <p>Implement the four-argument form and create {@code new ParameterStore(stepManager, false)}, or
 * override the five-argument form to receive the trainer's parameter store.
 */
@FunctionalInterface
public interface TrainingObjective {

  NDArray loss(NDManager stepManager, Block model, long step, StepRandom rng);

  /** Called by {@link Trainer}; by default ignores {@code parameterStore}. */
  default NDArray loss(
      NDManager stepManager,
      ParameterStore parameterStore,
      Block model,
      long step,
      StepRandom rng) {
    return loss(stepManager, model, step, rng);
  }
}
