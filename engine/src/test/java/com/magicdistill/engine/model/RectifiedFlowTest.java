package com.magicdistill.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Flow conversions against hand-computed values (docs/ALGORITHM.md#flow-conventions). */
class RectifiedFlowTest {
  @Test
  void noisingAndConversionsMatchHandComputedValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x0 = m.create(new float[] {1f, -0.5f, 0.2f, 0f}).reshape(2, 2);
      NDArray eps = m.create(new float[] {0f, 1f, -1f, 2f}).reshape(2, 2);
      NDArray sigma = m.create(new float[] {0.25f, 0.5f});
      // x = (1-s) x0 + s eps: row 0 s=.25 -> [.75, -.375+.25]; row 1 s=.5 -> [.1-.5, 0+1]
      NDArray x = RectifiedFlow.noise(x0, eps, sigma);
      assertArrayEquals(new float[] {0.75f, -0.125f, -0.4f, 1f}, x.toFloatArray(), 1e-6f);
      NDArray v = RectifiedFlow.velocityTarget(x0, eps);
      assertArrayEquals(new float[] {-1f, 1.5f, -1.2f, 2f}, v.toFloatArray(), 1e-6f);
      // With the exact velocity both conversions recover the truth.
      assertArrayEquals(
          x0.toFloatArray(), RectifiedFlow.x0FromVelocity(x, v, sigma).toFloatArray(), 1e-6f);
      assertArrayEquals(
          eps.toFloatArray(), RectifiedFlow.epsFromVelocity(x, v, sigma).toFloatArray(), 1e-6f);
    }
  }

  @Test
  void shiftMatchesTheRecipeFourStepSchedule() {
    assertEquals(0.9375, RectifiedFlow.shift(0.75, 5), 1e-12);
    assertEquals(5.0 / 6.0, RectifiedFlow.shift(0.5, 5), 1e-12);
    assertEquals(0.625, RectifiedFlow.shift(0.25, 5), 1e-12);
    assertEquals(1.0, RectifiedFlow.shift(1.0, 5), 1e-12);
    assertEquals(0.0, RectifiedFlow.shift(0.0, 5), 1e-12);
  }
}
