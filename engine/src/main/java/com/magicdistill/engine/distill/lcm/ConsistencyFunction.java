package com.magicdistill.engine.distill.lcm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.model.RectifiedFlow;

/**
 * The consistency function in the x0-parameterisation of a velocity network (rectified flow):
 *
 * <pre>  f_theta(x_sigma, sigma, c) = x_sigma - sigma * v_theta(x_sigma, sigma, c)</pre>
 *
 * The boundary condition f(x, 0) = x holds by construction (LCM's c_skip(0) = 1, c_out(0) = 0), bit
 * for bit: {@code x - 0 * v == x}. Sigma multiplies as a native array (no Java scalars in the
 * autograd graph).
 */
public final class ConsistencyFunction {
  private ConsistencyFunction() {}

  /**
   * @param x x_sigma (B, 3, T, H, W)
   * @param sigma per-sample noise level (B)
   * @param first conditioning frame (B, 3, H, W)
   * @param training forwarded to the model ({@code true} only for the student's trained pass)
   */
  public static NDArray apply(
      Block model, ParameterStore ps, NDArray x, NDArray sigma, NDArray first, boolean training) {
    NDArray v = model.forward(ps, new NDList(x, sigma, first), training).singletonOrThrow();
    return RectifiedFlow.x0FromVelocity(x, v, sigma);
  }
}
