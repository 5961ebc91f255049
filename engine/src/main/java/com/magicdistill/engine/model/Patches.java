package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;

/** Non-overlapping (pt x p x p) tubelet patches of a (B, C, T, H, W) video, and back. */
final class Patches {
  private Patches() {}

  /** (B, C, T, H, W) -> (B, N, C*pt*p*p), tokens ordered (t, row, column). */
  static NDArray patchify(NDArray x, DitConfig cfg) {
    long b = x.getShape().get(0);
    long c = x.getShape().get(1);
    int pt = cfg.patchFrames();
    int p = cfg.patchSize();
    int nt = cfg.tokensT();
    int nh = cfg.tokensH();
    int nw = cfg.tokensW();
    return x.reshape(b, c, nt, pt, nh, p, nw, p)
        .transpose(0, 2, 4, 6, 1, 3, 5, 7)
        .reshape(b, (long) nt * nh * nw, c * pt * p * p);
  }

  /** Inverse of {@link #patchify}: (B, N, C*pt*p*p) -> (B, C, T, H, W). */
  static NDArray unpatchify(NDArray tokens, DitConfig cfg, int channels, long b) {
    int pt = cfg.patchFrames();
    int p = cfg.patchSize();
    int nt = cfg.tokensT();
    int nh = cfg.tokensH();
    int nw = cfg.tokensW();
    return tokens
        .reshape(b, nt, nh, nw, channels, pt, p, p)
        .transpose(0, 4, 1, 5, 2, 6, 3, 7)
        .reshape(b, channels, (long) nt * pt, (long) nh * p, (long) nw * p);
  }
}
