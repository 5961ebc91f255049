package com.magicdistill.engine.model;

/**
 * The run-time LoRA scale shared by every {@link LoraLinear} of one model.
 *
 * <p>W2S (docs/ALGORITHM.md#w2s) evaluates one frozen network with one LoRA at two scales: real = W
 * + a_weak * dW and fake = W + a_strong * dW. Setting the scale before a forward pass is how both
 * come from one set of weights. Scale 0 is exactly the base model.
 */
public final class LoraScale {
  private volatile float value;

  public LoraScale(float initial) {
    this.value = initial;
  }

  public float get() {
    return value;
  }

  public void set(float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException("LoRA scale must be finite, got " + value);
    }
    this.value = value;
  }
}
