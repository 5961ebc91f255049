package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * Rectified-flow conventions (docs/ALGORITHM.md#flow-conventions) (HunyuanVideo / Magic141). Sigma
 * in [0, 1], sigma = 1 is pure noise; tensors of shape (B, ...) with sigma given per sample as (B).
 */
public final class RectifiedFlow {
  private RectifiedFlow() {}

  /** x_sigma = (1 - sigma) * x0 + sigma * eps. */
  public static NDArray noise(NDArray x0, NDArray eps, NDArray sigma) {
    NDArray s = broadcast(sigma, x0);
    return x0.mul(Scalars.of(s, 1.0).sub(s)).add(eps.mul(s));
  }

  /** The flow-matching regression target: v = eps - x0. */
  public static NDArray velocityTarget(NDArray x0, NDArray eps) {
    return eps.sub(x0);
  }

  /** x0_hat = x_sigma - sigma * v. */
  public static NDArray x0FromVelocity(NDArray xSigma, NDArray v, NDArray sigma) {
    return xSigma.sub(v.mul(broadcast(sigma, xSigma)));
  }

  /** eps_hat = x_sigma + (1 - sigma) * v. */
  public static NDArray epsFromVelocity(NDArray xSigma, NDArray v, NDArray sigma) {
    NDArray s = broadcast(sigma, xSigma);
    return xSigma.add(v.mul(Scalars.of(s, 1.0).sub(s)));
  }

  /** Timestep shift: sigma' = s * sigma / (1 + (s - 1) * sigma). */
  public static double shift(double sigma, double s) {
    return s * sigma / (1.0 + (s - 1.0) * sigma);
  }

  /** Reshapes a per-sample (B) sigma to (B, 1, 1, ...) so it broadcasts against {@code like}. */
  public static NDArray broadcast(NDArray sigma, NDArray like) {
    long[] shape = new long[like.getShape().dimension()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = like.getShape().get(0);
    return sigma.reshape(shape);
  }
}
