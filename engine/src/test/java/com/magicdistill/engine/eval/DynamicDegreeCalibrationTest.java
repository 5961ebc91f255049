package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.Clip;
import java.util.List;
import org.junit.jupiter.api.Test;

class DynamicDegreeCalibrationTest {
  private final List<Clip> real = PortraitClips.HELD_OUT_16;

  @Test
  void calibratedThresholdMakesTheTargetFractionOfRealClipsDynamic() {
    DynamicDegreeCalibration cal = DynamicDegreeCalibration.on(real);
    double calibrated = cal.dynamicDegree().of(real);
    double vbenchDefault = new DynamicDegree().of(real);
    System.out.printf(
        "dynamic degree of real: default %.4f (%.2f px), calibrated %.4f (%.4f px)%n",
        vbenchDefault, DynamicDegree.threshold(32, 32), calibrated, cal.thresholdPx());
    assertEquals(0.7, calibrated, 1.0 / real.size() + 1e-12);
    assertEquals(calibrated, cal.achievedFraction(), 0.0);
    assertEquals(real.size(), cal.clips());
    assertEquals(
        List.of("threshold_px", "target_fraction", "clips", "achieved_fraction"),
        List.copyOf(cal.toMap().keySet()));
  }

  @Test
  void otherTargetsAndDeterminism() {
    assertEquals(DynamicDegreeCalibration.on(real), DynamicDegreeCalibration.on(real));
    assertEquals(1.0, DynamicDegreeCalibration.on(real, 1.0).dynamicDegree().of(real));
    assertEquals(0.0, DynamicDegreeCalibration.on(real, 0.0).dynamicDegree().of(real));
    DynamicDegreeCalibration half = DynamicDegreeCalibration.on(real, 0.5);
    assertEquals(0.5, half.dynamicDegree().of(real), 0.0);
    assertTrue(half.thresholdPx() < DynamicDegreeCalibration.on(real, 0.25).thresholdPx());
  }

  @Test
  void defaultThresholdIsVbenchsScaledOne() {
    assertEquals(0.75, new DynamicDegree().thresholdFor(32, 32), 0.0);
    assertEquals(1.5, new DynamicDegree(new MotionEstimator(), 1.5).thresholdFor(32, 32), 0.0);
  }
}
