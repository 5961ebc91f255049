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

  /**
   * The smallest sigma that {@link #velocityFromX0} divides by (JiT's clip of 1 - t at 0.05, arXiv
   * 2511.13720): below it, the velocity of an x0 prediction is scaled as at this sigma instead of
   * growing without bound. No sampler schedule here reaches below it but its final 0.
   */
  public static final double X0_SIGMA_FLOOR = 0.05;

  /**
   * The velocity of the line through x_sigma and a predicted clean clip: v = (x_sigma - x0_hat) /
   * max(sigma, {@link #X0_SIGMA_FLOOR}); at sigma at or above the floor, {@link #x0FromVelocity}
   * gives x0_hat back.
   */
  public static NDArray velocityFromX0(NDArray xSigma, NDArray x0Hat, NDArray sigma) {
    NDArray s = broadcast(sigma.maximum(X0_SIGMA_FLOOR), xSigma);
    return xSigma.sub(x0Hat).div(s);
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
