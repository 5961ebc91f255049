package com.magicdistill.engine.sample;

import ai.djl.ndarray.NDArray;

/** Turns noise at sigma = 1 into a clip, conditioned on a first frame; counts model calls. */
public interface Sampler {
  /**
   * @param noise x at sigma = 1, (B, 3, T, H, W)
   * @param firstFrame conditioning frames (B, 3, H, W)
   * @param firstClipIndex global index of row 0, for samplers that draw per-clip noise
   */
  NDArray sample(NDArray noise, NDArray firstFrame, long firstClipIndex);

  /** Model calls so far, over all {@code sample} calls (one per step per batch). */
  long modelCalls();

  SigmaSchedule schedule();
}
