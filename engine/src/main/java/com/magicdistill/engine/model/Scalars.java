package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Native 0-d scalars for arithmetic inside the autograd graph.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and div/pow/add/sub) wraps a Java buffer that autograd
 * keeps but the JVM may collect before {@code backward()}, which silently corrupts gradients
 * (docs/STACK_NOTES.md, DJL gotcha 1). Every constant that meets a trainable tensor goes through
 * {@link #of}.
 */
public final class Scalars {
  private Scalars() {}

  /** A native 0-d float32 scalar in {@code manager}. */
  public static NDArray of(ai.djl.ndarray.NDManager manager, double value) {
    return manager.full(new Shape(), (float) value);
  }

  /** A native scalar with {@code like}'s manager, device and data type. */
  public static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }

  public static NDArray mul(NDArray x, double value) {
    return x.mul(of(x, value));
  }

  public static NDArray add(NDArray x, double value) {
    return x.add(of(x, value));
  }

  /** SiLU(x) = x * sigmoid(x), without DJL's swish (which multiplies by a Java Number). */
  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }
}
