package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Multi-head softmax attention over all N tokens, between a block's qkv projection and its output
 * projection: softmax(Q K^T / sqrt(d_head)) V per head, with the 1/sqrt(d_head) applied to Q (N x
 * d_head per head) rather than to the N x N scores; by default through libtorch's fused kernel
 * ({@link Kernel}). Public so that the efficiency benchmark can time exactly this part of the step
 * (docs/EVALUATION.md#fused-attention).
 */
public final class MultiHeadAttention {
  /** How softmax(Q K^T / sqrt(d_head)) V is computed; the same function either way. */
  public enum Kernel {
    /**
     * libtorch's fused scaled_dot_product_attention (flash attention on CPU), the default
     * (docs/EVALUATION.md#fused-attention).
     */
    FUSED,
    /** The formula op by op: Q K^T, softmax, P V, the N x N scores kept for the backward pass. */
    EXPLICIT
  }

  /** The system property that chooses the kernel: fused (default) or explicit. */
  public static final String PROPERTY = "magic.attention";

  private MultiHeadAttention() {}

  /** The kernel this process uses: {@code -Dmagic.attention=fused|explicit}. */
  public static Kernel configured() {
    String v = System.getProperty(PROPERTY, "fused");
    return switch (v) {
      case "fused" -> Kernel.FUSED;
      case "explicit" -> Kernel.EXPLICIT;
      default ->
          throw new IllegalArgumentException(
              "-D" + PROPERTY + " must be fused or explicit, not '" + v + "'");
    };
  }

  /** {@link #apply(NDArray, int, Kernel)} with the {@link #configured()} kernel. */
  public static NDArray apply(NDArray qkvOut, int heads) {
    return apply(qkvOut, heads, configured());
  }

  /**
   * @param qkvOut the qkv projection's output, (B, N, 3D): Q, K and V side by side, each D = heads
   *     x d_head wide
   * @return the heads' outputs side by side, (B, N, D)
   */
  public static NDArray apply(NDArray qkvOut, int heads, Kernel kernel) {
    long b = qkvOut.getShape().get(0);
    long n = qkvOut.getShape().get(1);
    int dim = (int) (qkvOut.getShape().get(2) / 3);
    int hd = dim / heads;
    // (B, N, 3D) -> three (B, N, 1, heads, hd) views -> (B, heads, N, hd) views; split's backward
    // writes the three gradients into one buffer (indexing would zero-fill a full-size one each).
    NDList parts = qkvOut.reshape(b, n, 3, heads, hd).split(3, 2);
    NDArray k = headsFirst(parts.get(1), heads);
    NDArray v = headsFirst(parts.get(2), heads);
    NDArray out; // (B, heads, N, hd)
    if (kernel == Kernel.FUSED) {
      out = FusedAttention.apply(headsFirst(parts.get(0), heads), k, v);
    } else {
      NDArray q = headsFirst(Scalars.mul(parts.get(0), 1.0 / Math.sqrt(hd)), heads);
      out = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1).matMul(v);
    }
    return out.transpose(0, 2, 1, 3).reshape(b, n, dim);
  }

  /** (B, N, 1, heads, hd) -> (B, heads, N, hd). */
  private static NDArray headsFirst(NDArray x, int heads) {
    long[] s = x.getShape().getShape();
    return x.reshape(s[0], s[1], heads, s[4]).transpose(0, 2, 1, 3);
  }
}
