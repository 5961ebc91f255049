package com.magicdistill.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import com.magicdistill.engine.model.RectifiedFlow;
import org.junit.jupiter.api.Test;

class EulerSamplerTest {
  @Test
  void fourStepScheduleIsTheRecipes() {
    assertArrayEquals(
        new double[] {1, 0.9375, 5.0 / 6.0, 0.625, 0}, SigmaSchedule.FOUR_STEP.sigmas(), 1e-12);
  }

  @Test
  void oneEulerStepMatchesHandComputation() {
    // v = 2 everywhere; one step from sigma 1 to 0: x_next = x + 2 * (0 - 1) = x - 2.
    try (NDManager m = NDManager.newBaseManager()) {
      var constant = new LambdaBlock(in -> new NDList(in.get(0).onesLike().mul(2f)));
      EulerSampler s = new EulerSampler(constant, new SigmaSchedule(1, 1));
      NDArray x = m.create(new float[] {0.5f, -1f, 3f, 0f, 1f, 2f}).reshape(1, 1, 1, 2, 3);
      NDArray out = s.sample(x, m.zeros(new Shape(1, 1, 2, 3)));
      assertArrayEquals(new float[] {-1.5f, -3f, 1f, -2f, -1f, 0f}, out.toFloatArray(), 1e-6f);
      assertEquals(1, s.modelCalls());
    }
  }

  /**
   * A known linear flow: data is the point mass x0 = a, so the exact velocity field is v(x, s) = (x
   * - a) / s (from x = (1-s) a + s eps). Integrating it with 1000 Euler steps from noise must land
   * on a, whatever the noise.
   */
  @Test
  void thousandStepsOnAKnownLinearFlowReachTheData() {
    try (NDManager m = NDManager.newBaseManager()) {
      float a = 0.7f;
      var exact =
          new LambdaBlock(
              in -> {
                NDArray x = in.get(0);
                NDArray sigma = RectifiedFlow.broadcast(in.get(1), x);
                return new NDList(x.sub(a).div(sigma));
              });
      EulerSampler s = new EulerSampler(exact, new SigmaSchedule(1000, 3.0));
      NDArray noise = m.randomNormal(new Shape(2, 3, 2, 2, 2));
      NDArray out = s.sample(noise, m.zeros(new Shape(2, 3, 2, 2)));
      for (float f : out.toFloatArray()) {
        assertEquals(a, f, 1e-4f);
      }
      assertEquals(1000, s.modelCalls());
    }
  }

  /** Interpolation between two data points a, b: the straight path is followed exactly. */
  @Test
  void eulerIsExactOnStraightPathsWithFewSteps() {
    try (NDManager m = NDManager.newBaseManager()) {
      // v = eps - x0 constant along the path when eps is known: v(x, s) = (x - x0)/s with x0=-0.3
      var exact =
          new LambdaBlock(
              in ->
                  new NDList(
                      in.get(0).add(0.3f).div(RectifiedFlow.broadcast(in.get(1), in.get(0)))));
      EulerSampler s = new EulerSampler(exact, SigmaSchedule.FOUR_STEP);
      NDArray out = s.sample(m.ones(new Shape(1, 1, 1, 1, 1)), m.zeros(new Shape(1, 1, 1, 1)));
      assertEquals(-0.3f, out.getFloat(0, 0, 0, 0, 0), 1e-5f);
    }
  }

  @Test
  void negativeStepsFailWithTheFieldName() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SigmaSchedule(-3, 1));
    assertTrue(e.getMessage().contains("steps"));
  }
}
