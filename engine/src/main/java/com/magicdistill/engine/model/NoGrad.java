package com.magicdistill.engine.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd switched off for the current thread until {@link #close()} (PyTorch engine): for
 * sampling, frozen-network passes inside a training step, and in-place parameter updates.
 */
public final class NoGrad implements AutoCloseable {
  private final boolean previous;

  private NoGrad(boolean previous) {
    this.previous = previous;
  }

  /** Switches autograd off; {@link #close()} restores the previous mode. */
  public static NoGrad enter() {
    boolean previous = JniUtils.isGradMode();
    if (previous) {
      JniUtils.setGradMode(false);
    }
    return new NoGrad(previous);
  }

  @Override
  public void close() {
    if (previous) {
      JniUtils.setGradMode(true);
    }
  }
}
