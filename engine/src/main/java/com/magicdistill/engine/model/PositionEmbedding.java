package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/** Fixed sinusoidal embeddings: 3-D token positions and the noise level sigma. */
final class PositionEmbedding {
  private PositionEmbedding() {}

  /**
   * A (nt*nh*nw) x dim table: each axis (time, row, column) gets 2*floor(dim/6) channels of sin/cos
   * features (Vaswani et al. 2017); any remainder stays zero.
   */
  static float[] table3d(int nt, int nh, int nw, int dim) {
    int per = 2 * (dim / 6);
    float[] out = new float[nt * nh * nw * dim];
    int i = 0;
    for (int t = 0; t < nt; t++) {
      for (int y = 0; y < nh; y++) {
        for (int x = 0; x < nw; x++) {
          int base = i * dim;
          fill(out, base, t, per);
          fill(out, base + per, y, per);
          fill(out, base + 2 * per, x, per);
          i++;
        }
      }
    }
    return out;
  }

  private static void fill(float[] out, int offset, int pos, int width) {
    int half = width / 2;
    for (int k = 0; k < half; k++) {
      double freq = Math.pow(100.0, -(double) k / Math.max(1, half));
      out[offset + k] = (float) Math.sin(pos * freq);
      out[offset + half + k] = (float) Math.cos(pos * freq);
    }
  }

  /** (B) sigma -> (B, n): [sin(1000 sigma f_k), cos(1000 sigma f_k)], f_k = 10000^(-k/(n/2)). */
  static NDArray sigmaFeatures(NDArray sigma, int n) {
    int half = n / 2;
    float[] freqs = new float[half];
    for (int k = 0; k < half; k++) {
      freqs[k] = (float) (1000.0 * Math.pow(10000.0, -(double) k / half));
    }
    NDArray f = sigma.getManager().create(freqs).reshape(1, half);
    NDArray arg = sigma.reshape(-1, 1).mul(f);
    return NDArrays.concat(new NDList(arg.sin(), arg.cos()), 1);
  }
}
