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
}
