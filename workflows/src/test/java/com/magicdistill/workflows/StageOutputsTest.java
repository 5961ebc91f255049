package com.magicdistill.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed stage outputs keep the stored JSON shape and the keys downstream stages read. */
class StageOutputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fineTuneOutputsAreStoredUnderTheirNamesAndReadByKey() throws Exception {
    StageOutputs out =
        new FineTuneOutputs("runs/r/fine-tune/data", "d1", "runs/r/fine-tune/teacher", "c", "t1")
            .withMetrics(Map.of("kept_clips", 3.0));
    String stored = JSON.writeValueAsString(out);
    // The stage cache and reuse keep this JSON in PostgreSQL: same shape as before the records.
    assertEquals(out, JSON.readValue(stored, StageOutputs.class));
    assertTrue(stored.contains("\"teacher\":\"runs/r/fine-tune/teacher\""), stored);
    assertTrue(stored.contains("\"dataManifestSha256\":\"d1\""), stored);
    assertTrue(stored.contains("\"metrics\":{\"kept_clips\":3.0}"), stored);

    StageRequest w2s =
        new StageRequest(
            "r",
            PipelineStage.W2S,
            null,
            Map.of(FineTuneOutputs.TEACHER.inputName(), out.artifacts().get("teacher")),
            null);
    assertEquals("fine-tune.teacher", FineTuneOutputs.TEACHER.inputName());
    assertEquals("runs/r/fine-tune/teacher", w2s.input(FineTuneOutputs.TEACHER));
    var missing = assertThrows(IllegalStateException.class, () -> w2s.input(FineTuneOutputs.DATA));
    assertTrue(missing.getMessage().contains("fine-tune.data"), missing.getMessage());
  }

  @Test
  void everyStageNamesTheArtifactsItsSuccessorsRead() {
    assertEquals(
        Map.of("stage", "s", "generator", "g", "critic", "c"),
        new DistributionMatchingOutputs("s", "g", "c").withMetrics(Map.of()).artifacts());
    assertEquals("dmd-lora.stage", DistributionMatchingOutputs.DMD_LORA_STAGE.inputName());
    assertEquals("w2s.stage", DistributionMatchingOutputs.W2S_STAGE.inputName());
    assertEquals(
        Map.of("model", "m", "sha256sums", "s"),
        new ExportOutputs("m", "s").toStageOutputs().artifacts());
    assertEquals("export.model", ExportOutputs.MODEL.inputName());
    assertEquals("dmd-lora.generator", DistributionMatchingOutputs.DMD_LORA_GENERATOR.inputName());
    assertEquals(
        Map.of("report", "r", "samples", "s"),
        new EvaluateOutputs("r", "s").withMetrics(Map.of()).artifacts());
    assertEquals("evaluate.samples", EvaluateOutputs.SAMPLES.inputName());
    assertEquals(
        Map.of("report", "r"), new EvaluateOutputs("r", null).withMetrics(Map.of()).artifacts());
  }
}
