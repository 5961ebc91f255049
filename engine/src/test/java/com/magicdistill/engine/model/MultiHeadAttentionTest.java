package com.magicdistill.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The fused kernel computes the explicit formula: outputs and input gradients agree. */
class MultiHeadAttentionTest {
  @Test
  void fusedAndExplicitAgreeForwardAndBackward() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      NDArray qkv = m.randomNormal(new Shape(2, 64, 3 * 48));
      NDArray upstream = m.randomNormal(new Shape(2, 64, 48));
      NDArray[] out = new NDArray[2];
      NDArray[] grad = new NDArray[2];
      MultiHeadAttention.Kernel[] kernels = MultiHeadAttention.Kernel.values();
      for (int i = 0; i < 2; i++) {
        NDArray x = qkv.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray y = MultiHeadAttention.apply(x, 4, kernels[i]);
          out[i] = y.duplicate();
          gc.backward(y.mul(upstream).sum());
        }
        grad[i] = x.getGradient().duplicate();
      }
      float outScale = out[1].abs().max().getFloat();
      float gradScale = grad[1].abs().max().getFloat();
      assertTrue(outScale > 0.1f && gradScale > 0.1f, outScale + " " + gradScale);
      float outDiff = out[0].sub(out[1]).abs().max().getFloat();
      float gradDiff = grad[0].sub(grad[1]).abs().max().getFloat();
      assertTrue(outDiff < 1e-5f * outScale, "output differs by " + outDiff);
      assertTrue(gradDiff < 1e-5f * gradScale, "gradient differs by " + gradDiff);
    }
  }

  @Test
  void anUnknownKernelNamesTheProperty() {
    String old = System.getProperty(MultiHeadAttention.PROPERTY);
    System.setProperty(MultiHeadAttention.PROPERTY, "flash");
    try {
      var e = assertThrows(IllegalArgumentException.class, MultiHeadAttention::configured);
      assertEquals("-Dmagic.attention must be fused or explicit, not 'flash'", e.getMessage());
    } finally {
      if (old == null) {
        System.clearProperty(MultiHeadAttention.PROPERTY);
      } else {
        System.setProperty(MultiHeadAttention.PROPERTY, old);
      }
    }
    assertEquals(MultiHeadAttention.Kernel.FUSED, MultiHeadAttention.configured());
  }
}
