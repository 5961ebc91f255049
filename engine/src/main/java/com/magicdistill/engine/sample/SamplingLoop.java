package com.magicdistill.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.model.NoGrad;

/**
 * The step loop every sampler shares: autograd off, and each step in its own manager so that only
 * the new x survives it (a 28-step Euler pass over a batch of 16 otherwise keeps every activation
 * until the end: it ran out of 24 GB on the paper preset).
 */
final class SamplingLoop {
  /** One step: from x at level i to x at level i + 1, all new arrays in {@code step}. */
  interface Step {
    NDArray apply(NDManager step, ParameterStore ps, NDArray x, int i);
  }

  private SamplingLoop() {}

  static NDArray run(NDArray noise, NDArray firstFrame, int steps, Step body) {
    NDManager m = noise.getManager();
    NDArray x = noise;
    try (NoGrad noGrad = NoGrad.enter()) {
      for (int i = 0; i < steps; i++) {
        try (NDManager step = m.newSubManager()) {
          // Inputs join the step's manager until it closes, so every array the step makes lands
          // there (DJL puts an op's result in its first operand's manager).
          x.tempAttach(step);
          firstFrame.tempAttach(step);
          NDArray next = body.apply(step, new ParameterStore(step, false), x, i);
          next.attach(m);
          x = next;
        }
      }
    }
    return x;
  }
}
