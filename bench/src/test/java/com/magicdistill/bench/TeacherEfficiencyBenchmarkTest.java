package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.perf.ModelFlops;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench teacher --preset tiny --only efficiency}: its own results name, an MFU for the
 * teacher step, an operator profile whose backward holds the GEMMs of the backward pass, and a
 * markdown that the teacher renderer reproduces from the JSON.
 */
class TeacherEfficiencyBenchmarkTest {
  @Test
  @SuppressWarnings("unchecked")
  void writesTheEfficiencyLineAndTheOperatorProfile(@TempDir Path dir) throws Exception {
    var bench = new TeacherEfficiencyBenchmark(EnginePreset.tiny(), dir, Progress.NONE);
    assertEquals("teacher-tiny-efficiency", bench.resultsName());
    bench.run();
    Map<String, Object> json =
        new ObjectMapper()
            .readValue(
                dir.resolve("teacher-tiny-efficiency.json").toFile(),
                new TypeReference<Map<String, Object>>() {});
    Map<String, Object> eff = (Map<String, Object>) json.get("efficiency");
    Map<String, Object> teacher =
        (Map<String, Object>) ((Map<String, Object>) eff.get("phases")).get("teacher");
    double mfu = ((Number) teacher.get("mfu")).doubleValue();
    assertTrue(mfu > 0 && mfu < 1, "mfu " + mfu);
    assertEquals(4, ((Map<String, Object>) eff.get("profile_ms_per_step")).size() - 1);
    Map<String, Object> parts =
        (Map<String, Object>) ((Map<String, Object>) json.get("op_profile")).get("parts");
    for (String part : new String[] {"forward", "backward", "optimizer"}) {
      Map<String, Object> p = (Map<String, Object>) parts.get(part);
      assertTrue(((Number) p.get("ms")).doubleValue() > 0, part + " " + p);
    }
    Map<String, Object> backward =
        (Map<String, Object>) ((Map<String, Object>) parts.get("backward")).get("by_kind_ms");
    assertTrue(((Number) backward.get("gemm")).doubleValue() > 0, "backward " + backward);
    // The default kernel (MultiHeadAttention.Kernel.FUSED) is libtorch's; no softmax of its own.
    assertTrue(
        ((Number) backward.get("fused attention")).doubleValue() > 0, "backward " + backward);
    assertEquals(0.0, ((Number) backward.get("softmax")).doubleValue(), "backward " + backward);
    Map<String, Object> attention = (Map<String, Object>) json.get("attention");
    double attentionMs = ((Number) attention.get("ms_per_step")).doubleValue();
    double stepMs = ((Number) teacher.get("ms_per_step")).doubleValue();
    assertTrue(attentionMs > 0 && attentionMs < stepMs, attention + " vs step " + stepMs);
    assertEquals("fused", attention.get("configured"));
    Map<String, Object> kernels = (Map<String, Object>) attention.get("kernels");
    assertEquals(java.util.List.of("fused", "explicit"), java.util.List.copyOf(kernels.keySet()));
    assertEquals(
        attentionMs,
        ((Number) ((Map<String, Object>) kernels.get("fused")).get("ms_per_step")).doubleValue());
    assertEquals(
        3.0
            * EnginePreset.tiny().batchSize()
            * ModelFlops.forwardParts(EnginePreset.tiny().model())
                .get(ModelFlops.ATTENTION_PRODUCTS)
            / 1e9,
        ((Number) attention.get("gflop_per_step")).doubleValue(),
        1e-12);
    assertEquals(
        Files.readString(dir.resolve("teacher-tiny-efficiency.md")),
        TeacherBenchTable.markdown(json));
    assertTrue(
        Files.readString(dir.resolve("teacher-tiny-efficiency.md"))
            .contains("--preset tiny --only efficiency"));
  }

  /**
   * {@code --heads 2}: the same model width with 2 heads, named apart from the preset's figures.
   */
  @Test
  @SuppressWarnings("unchecked")
  void otherHeadsTimeTheSameWidthWithWiderHeads(@TempDir Path dir) throws Exception {
    var bench =
        new TeacherEfficiencyBenchmark(
            EnginePreset.tiny(), ModelVariant.heads(2), dir, Progress.NONE);
    assertEquals("teacher-tiny-heads2-efficiency", bench.resultsName());
    bench.run();
    Map<String, Object> json =
        new ObjectMapper()
            .readValue(
                dir.resolve("teacher-tiny-heads2-efficiency.json").toFile(),
                new TypeReference<Map<String, Object>>() {});
    Map<String, Object> model = (Map<String, Object>) json.get("model");
    assertEquals(2, model.get("heads"));
    assertEquals(EnginePreset.tiny().model().dim(), model.get("dim"));
    assertTrue(((String) json.get("command")).endsWith("--only efficiency --heads 2"));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                new TeacherEfficiencyBenchmark(
                    EnginePreset.tiny(), ModelVariant.heads(5), dir, Progress.NONE));
    assertEquals("--heads must divide the tiny model's width 48 (got 5)", e.getMessage());
  }
}
