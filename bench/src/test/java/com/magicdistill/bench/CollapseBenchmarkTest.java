package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench collapse --preset tiny}: a tiny teacher, a 2-update DMD-LoRA start, three 2-update
 * arms probed every 2 updates on 4 held-out clips (100 bootstrap draws). Checks the results' shape
 * and that the arms really are what they say.
 */
class CollapseBenchmarkTest {

  @Test
  void tinyStudyWritesThreeArmsWithCurvesIntervalsAndAlignment(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    var bench =
        CollapseBenchmark.of(
            "tiny", null, null, true, null, results, dir.resolve("work"), null, Progress.NONE);
    bench.run();
    JsonNode j = new ObjectMapper().readTree(results.resolve("collapse-tiny.json").toFile());
    assertTrue(j.get("command").asText().contains("--backward-simulation true"), j.toString());
    assertTrue(j.get("distill").get("backwardSimulation").asBoolean(), "recorded");
    assertEquals(0.25, j.get("alpha_weak").asDouble());
    JsonNode lr = j.get("lr_matching");
    double ratio = lr.get("lr_ratio").asDouble();
    assertTrue(ratio > 0.75 && ratio < 1, "between 1 - alpha and 1: " + ratio);
    assertEquals(
        lr.get("generator_lr").asDouble() * ratio, lr.get("matched_generator_lr").asDouble(), 1e-9);

    JsonNode arms = j.get("arms");
    assertEquals(
        Set.of(CollapseStudy.DMD, CollapseStudy.W2S, CollapseStudy.DMD_LR_MATCHED),
        fieldNames(arms));
    assertEquals(0.0, arms.get("dmd").get("alpha_weak").asDouble());
    assertEquals(0.25, arms.get("w2s").get("alpha_weak").asDouble());
    assertEquals(0.0, arms.get("dmd_lr_matched").get("alpha_weak").asDouble());
    assertEquals(
        lr.get("matched_generator_lr").asDouble(),
        arms.get("dmd_lr_matched").get("generator_lr").asDouble(),
        1e-12);
    Set<Double> lastFd = new HashSet<>();
    for (String name : fieldNames(arms)) {
      JsonNode arm = arms.get(name);
      assertEquals(2, arm.get("iterations").asInt(), name + ": equal budget");
      JsonNode curve = arm.get("curve");
      // the start's end (iteration 2), then the arm's end (iteration 4)
      assertEquals(2, curve.size(), name + " " + curve);
      assertEquals(2, curve.get(0).get("iteration").asInt());
      assertEquals(4, curve.get(1).get("iteration").asInt());
      for (JsonNode p : curve) {
        for (String k : new String[] {"fd_clip", "motion_ratio"}) {
          JsonNode ci = p.get(k);
          assertTrue(
              ci.get("lo").asDouble() <= ci.get("value").asDouble() + 1e-9
                  && ci.get("value").asDouble() <= ci.get("hi").asDouble() + 1e-9,
              name + " " + k + " " + ci);
        }
      }
      assertEquals(curve.get(0), arms.get("dmd").get("curve").get(0), "one start for all");
      lastFd.add(curve.get(1).get("fd_clip").get("value").asDouble());
      JsonNode alignment = arm.get("alignment");
      assertEquals(1, alignment.size(), name + " " + alignment);
      for (JsonNode a : alignment) {
        double cos = a.get("cos").asDouble();
        assertTrue(cos >= -1 && cos <= 1, name + " cos " + cos);
        assertTrue(a.get("norm_ratio").asDouble() > 0, name + " " + a);
        assertEquals(0.75, a.get("one_minus_alpha").asDouble(), 1e-6);
      }
    }
    assertEquals(3, lastFd.size(), "the arms end in different places: " + lastFd);
    assertNotEquals(
        arms.get("dmd").get("alignment").get(0).get("cos").asDouble(),
        arms.get("w2s").get("alignment").get(0).get("cos").asDouble(),
        "each arm measures at its own state");
    assertTrue(Files.size(results.resolve("collapse-tiny.png")) > 0);
    String md = Files.readString(results.resolve("collapse-tiny.md"));
    Map<String, Object> tree =
        new ObjectMapper()
            .readValue(
                results.resolve("collapse-tiny.json").toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    assertEquals(md, CollapseTable.markdown(tree), "the .md renders from the .json");
    assertTrue(md.contains("dmd_lr_matched"), md);
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> s = new HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }
}
