package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.magicdistill.engine.random.StepRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StepRandomAndScheduleTest {

  @Test
  void stepRandomDependsOnlyOnSeedStepStream() {
    assertArrayEquals(
        StepRandom.forStep(1, 10, 0).gaussian(64), StepRandom.forStep(1, 10, 0).gaussian(64));
    assertFalse(
        Arrays.equals(
            StepRandom.forStep(1, 10, 0).gaussian(64), StepRandom.forStep(1, 11, 0).gaussian(64)));
    assertFalse(
        Arrays.equals(
            StepRandom.forStep(1, 10, 0).uniform(64), StepRandom.forStep(1, 10, 1).uniform(64)));
    assertFalse(
        Arrays.equals(
            StepRandom.forStep(1, 10, 0).uniform(64), StepRandom.forStep(2, 10, 0).uniform(64)));
    float[] g = StepRandom.forStep(3, 0, 0).gaussian(20000);
    double mean = 0;
    double sq = 0;
    for (float v : g) {
      mean += v;
      sq += v * v;
    }
    mean /= g.length;
    assertEquals(0, mean, 0.03);
    assertEquals(1, sq / g.length - mean * mean, 0.05);
    StepRandom r = StepRandom.forStep(3, 0, 0);
    for (int i = 0; i < 1000; i++) {
      int k = r.nextInt(7);
      assertTrue(k >= 0 && k < 7);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = StepRandom.forStep(4, 2, 1).gaussian(m, new Shape(2, 3, 4));
      assertEquals(new Shape(2, 3, 4), a.getShape());
      System.gc();
      assertArrayEquals(StepRandom.forStep(4, 2, 1).gaussian(24), a.toFloatArray());
    }
  }

  @Test
  void schedulesWarmUpThenHoldOrDecay() {
    LearningRateSchedule c = LearningRateSchedule.constant(1f, 4);
    assertEquals(0.25f, c.at(0));
    assertEquals(1f, c.at(3));
    assertEquals(1f, c.at(1000));
    LearningRateSchedule cos = LearningRateSchedule.cosine(1f, 2, 12, 0.1f);
    assertEquals(0.5f, cos.at(0));
    assertEquals(1f, cos.at(2), 1e-6f);
    assertEquals(0.55f, cos.at(7), 1e-6f);
    assertEquals(0.1f, cos.at(12), 1e-6f);
    assertEquals(0.1f, cos.at(50), 1e-6f);
    assertTrue(cos.at(5) > cos.at(6));
  }
}
