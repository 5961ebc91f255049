package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.ConfigException;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.random.StepRandom;
import org.junit.jupiter.api.Test;

/** Teacher timestep sampling and first-frame dropout (issue 11, step 2). */
class TimestepSamplingTest {
  @Test
  void defaultIsTheOldLogitNormalBitForBit() {
    for (double u : new double[] {-2.5, -0.3, 0, 0.7, 3.1}) {
      for (double shift : new double[] {1.0, 3.0}) {
        double old = RectifiedFlow.shift(1.0 / (1.0 + Math.exp(-u)), shift);
        assertEquals(old, TimestepSampling.shifted(shift).sigma(u), 0.0);
      }
    }
  }

  @Test
  void aPositiveMeanAndAShiftPutMoreWeightOnHighNoise() {
    StepRandom r = StepRandom.forStep(1, 0, 0);
    TimestepSampling v2 = new TimestepSampling(3.0, 0.0, 0.1);
    int oldHigh = 0;
    int newHigh = 0;
    for (int i = 0; i < 4000; i++) {
      double u = r.nextGaussian();
      oldHigh += TimestepSampling.DEFAULT.sigma(u) > 0.9 ? 1 : 0;
      newHigh += v2.sigma(u) > 0.9 ? 1 : 0;
    }
    // logit-normal(0, 1): 1.4% above 0.9; shifted by 3: 13%
    assertTrue(newHigh > 5 * oldHigh, oldHigh + " vs " + newHigh);
    assertTrue(new TimestepSampling(1.0, 1.0, 0).sigma(0) > TimestepSampling.DEFAULT.sigma(0));
  }

  @Test
  void invalidValuesNameTheField() {
    var e = assertThrows(ConfigException.class, () -> new TimestepSampling(1.0, 0.0, 1.0));
    assertEquals("firstFrameDropout", e.field());
    assertTrue(e.getMessage().startsWith("firstFrameDropout must be in [0, 1) (got 1.0)"));
    assertEquals(
        "trainSigmaMean",
        assertThrows(ConfigException.class, () -> new TimestepSampling(1.0, 4.0, 0)).field());
    assertEquals(
        "trainShift",
        assertThrows(ConfigException.class, () -> new TimestepSampling(Double.NaN, 0, 0)).field());
  }

  @Test
  void presetsRecordTheirSampling() {
    assertEquals(TimestepSampling.DEFAULT, EnginePreset.smoke().trainSampling());
    assertEquals(TimestepSampling.DEFAULT, EnginePreset.tiny().trainSampling());
    assertEquals(TimestepSampling.DEFAULT, EnginePreset.paper().trainSampling());
    assertEquals(0.1, EnginePreset.paperV2().trainSampling().firstFrameDropout());
    assertEquals(3.0, EnginePreset.mid().trainShift());
  }

  /** Without dropout the loss is the shift-only objective's; with it the first frames change. */
  @Test
  void dropoutChangesTheLossOnlyWhenOn() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = TeacherTrainingTest.model(m, 3);
      // the output layers start at zero, which would hide the conditioning
      for (var p : model.getParameters().values()) {
        var arr = p.getArray();
        arr.addi(m.randomNormal(0f, 0.05f, arr.getShape(), arr.getDataType()));
      }
      var clips = TeacherTrainingTest.clips();
      float old = loss(m, model, new FlowMatchingObjective(clips, 4, 1.0));
      float off = loss(m, model, new FlowMatchingObjective(clips, 4, TimestepSampling.DEFAULT));
      float on =
          loss(m, model, new FlowMatchingObjective(clips, 4, new TimestepSampling(1.0, 0, 0.9)));
      assertEquals(old, off, 0f);
      assertNotEquals(old, on);
    }
  }

  private static float loss(NDManager m, VideoDiT model, FlowMatchingObjective objective) {
    try (NDManager step = m.newSubManager()) {
      return objective.loss(step, model, 0, StepRandom.forStep(9, 0, 0)).getFloat();
    }
  }
}
