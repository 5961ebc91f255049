package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Multi-head softmax attention over all N tokens, between a block's qkv projection and its output
 * projection: softmax(Q K^T / sqrt(d_head)) V per head, with the 1/sqrt(d_head) applied to Q (N x
 * d_head per head) rather than to the N x N scores. Public so that the efficiency benchmark can
 * time exactly this part of the step (docs/EVALUATION.md#native-memory).
 */
public final class MultiHeadAttention {
  private MultiHeadAttention() {}

  /**
   * @param qkvOut the qkv projection's output, (B, N, 3D): Q, K and V side by side, each D = heads
   *     x d_head wide
   * @return the heads' outputs side by side, (B, N, D)
   */
  public static NDArray apply(NDArray qkvOut, int heads) {
    long b = qkvOut.getShape().get(0);
    long n = qkvOut.getShape().get(1);
    int dim = (int) (qkvOut.getShape().get(2) / 3);
    int hd = dim / heads;
    // (B, N, 3D) -> three (B, N, 1, heads, hd) views -> (B, heads, N, hd) views; split's backward
    // writes the three gradients into one buffer (indexing would zero-fill a full-size one each).
    NDList parts = qkvOut.reshape(b, n, 3, heads, hd).split(3, 2);
    NDArray q = headsFirst(Scalars.mul(parts.get(0), 1.0 / Math.sqrt(hd)), heads);
    NDArray k = headsFirst(parts.get(1), heads);
    NDArray v = headsFirst(parts.get(2), heads);
    NDArray out = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1).matMul(v); // (B, heads, N, hd)
    return out.transpose(0, 2, 1, 3).reshape(b, n, dim);
  }

  /** (B, N, 1, heads, hd) -> (B, heads, N, hd). */
  private static NDArray headsFirst(NDArray x, int heads) {
    long[] s = x.getShape().getShape();
    return x.reshape(s[0], s[1], heads, s[4]).transpose(0, 2, 1, 3);
  }
}
