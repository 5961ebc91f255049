package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.data.Clip;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  @Test
  void evaluatesAndSerialisesWithSnakeCaseKeys() throws Exception {
    List<Clip> generated = new ArrayList<>();
    List<Clip> real = new ArrayList<>();
    List<float[]> conditions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Clip r = TestClips.movingDisc(i);
      real.add(r);
      conditions.add(r.frame(0));
      generated.add(TestClips.noisy(r, 0.02, i));
    }
    MethodMetrics m =
        Evaluation.evaluate(new HandcraftedFeaturesV1(), generated, real, conditions, 32, 12.5);
    assertTrue(m.fdFrame() > 0 && Double.isFinite(m.fdFrame()));
    assertTrue(m.fdClip() > 0 && Double.isFinite(m.fdClip()));
    assertEquals(32, m.modelCalls());
    assertEquals(
        List.of("fd_frame", "fd_clip", "vbench", "model_calls", "wall_ms_per_clip"),
        new ArrayList<>(m.toMap().keySet()));

    EvalReport report = new EvalReport("md-feat-v1", Map.of("student", m));
    String json = new ObjectMapper().writeValueAsString(report.toMap());
    assertTrue(json.contains("\"feature_extractor\":\"md-feat-v1\""), json);
    assertTrue(json.contains("\"temporal_flickering\""), json);
    assertTrue(json.contains("\"wall_ms_per_clip\":12.5"), json);
  }

  @Test
  void calibratedEvaluationAddsMotionRatioIntervalsAndTheThreshold() throws Exception {
    List<Clip> real = new ArrayList<>();
    List<float[]> conditions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      real.add(TestClips.movingDisc(i));
      conditions.add(real.get(i).frame(0));
    }
    List<Clip> generated = Anchors.temporallyBlurred(real);
    FeatureExtractor fx = new HandcraftedFeaturesV1();
    DynamicDegreeCalibration cal = DynamicDegreeCalibration.on(real, 0.5);
    MethodMetrics m =
        Evaluation.evaluate(fx, generated, real, conditions, 4, 1.0, cal, new Bootstrap(50, 1));
    MethodMetrics plain = Evaluation.evaluate(fx, generated, real, conditions, 4, 1.0);
    assertEquals(plain.fdFrame(), m.fdFrame(), 0.0);
    assertEquals(plain.fdClip(), m.fdClip(), 0.0);
    assertEquals(new PairedMotion().ratio(generated, real), m.motionRatio(), 0.0);
    assertEquals(cal.dynamicDegree().of(generated), m.vbench().dynamicDegree(), 0.0);
    assertEquals(
        List.of(
            "fd_frame",
            "fd_clip",
            "motion_ratio",
            "vbench",
            "model_calls",
            "wall_ms_per_clip",
            "ci95"),
        new ArrayList<>(m.toMap().keySet()));
    assertEquals(
        List.of("fd_frame", "fd_clip", "motion_ratio", "dynamic_degree"),
        new ArrayList<>(m.ci95().keySet()));
    EvalReport report = new EvalReport("md-feat-v1", Map.of("tblur", m), cal);
    String json = new ObjectMapper().writeValueAsString(report.toMap());
    assertTrue(json.contains("\"dynamic_degree_calibration\":{\"threshold_px\":"), json);
    assertTrue(json.contains("\"ci95\":{\"fd_frame\":{\"value\":"), json);
  }
}
