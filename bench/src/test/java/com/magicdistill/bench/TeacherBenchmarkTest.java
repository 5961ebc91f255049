package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.model.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench teacher --preset tiny --prediction x0 --patch-skip} end to end: it trains, scores
 * and writes its files, and the markdown is what the committed-results check renders from the JSON.
 */
class TeacherBenchmarkTest {
  @TempDir Path dir;

  @Test
  void anX0TeacherWithASkipWritesItsResultsApart() throws Exception {
    var bench =
        new TeacherBenchmark(
            EnginePreset.tiny(),
            new ModelVariant(null, Prediction.X0, true),
            dir.resolve("results"),
            dir.resolve("work"),
            Progress.NONE);
    bench.run();
    Path json = dir.resolve("results").resolve("teacher-tiny-x0-skip.json");
    Map<String, Object> tree =
        new ObjectMapper().readValue(json.toFile(), new TypeReference<Map<String, Object>>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> model = (Map<String, Object>) tree.get("model");
    assertEquals("x0", model.get("prediction"));
    assertEquals(true, model.get("patchSkip"));
    String md = Files.readString(json.resolveSibling("teacher-tiny-x0-skip.md"));
    assertEquals(TeacherBenchTable.markdown(tree), md);
    assertTrue(
        md.startsWith(
            "# Teacher benchmark, preset `tiny`, the model predicting x0, with a patch skip\n"),
        md);
    assertTrue(
        md.contains("--prediction x0 --patch-skip"), "the recorded command names the variant");
  }
}
