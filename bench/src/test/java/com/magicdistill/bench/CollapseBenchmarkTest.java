package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  /**
   * Arms run by separate runs with {@code --arms} share the start in the work folder, write parts
   * and no results; the run without {@code --arms} runs only what is missing and gathers the rest.
   * A study with other settings reuses nothing.
   */
  @Test
  void armsOfSeparateRunsAreGatheredWithoutRunningThemAgain(@TempDir Path dir) throws Exception {
    Path first = dir.resolve("first");
    CollapseBenchmark.of(
            "tiny", null, null, null, null, first, dir.resolve("w0"), null, Progress.NONE)
        .run();
    Path teacher = dir.resolve("w0").resolve("teacher");
    Path results = dir.resolve("results");
    Path work = dir.resolve("work");
    java.util.function.Function<Float, CollapseBenchmark> study =
        lr ->
            CollapseBenchmark.of(
                "tiny", null, lr, null, null, results, work, teacher, Progress.NONE);

    study.apply(null).onlyArms(Set.of(CollapseStudy.W2S)).run();
    assertFalse(Files.exists(results.resolve("collapse-tiny.json")), "--arms writes no results");
    Path parts = work.resolve(CollapseParts.FOLDER);
    JsonNode start = new ObjectMapper().readTree(parts.resolve("start.json").toFile());
    JsonNode w2s = new ObjectMapper().readTree(parts.resolve("w2s.json").toFile());
    study.apply(null).onlyArms(Set.of(CollapseStudy.DMD)).run();
    assertEquals(
        start,
        new ObjectMapper().readTree(parts.resolve("start.json").toFile()),
        "the second run reuses the first one's start");

    study.apply(null).run();
    JsonNode j = new ObjectMapper().readTree(results.resolve("collapse-tiny.json").toFile());
    assertEquals(
        Set.of(CollapseStudy.DMD, CollapseStudy.W2S, CollapseStudy.DMD_LR_MATCHED),
        fieldNames(j.get("arms")));
    assertEquals(w2s.get("part"), j.get("arms").get("w2s"), "gathered, not run again");
    assertEquals(3, j.get("processes").size(), j.get("processes").toString());
    double sum = 0;
    for (JsonNode p : j.get("processes")) {
      sum += p.get("wall_s").asDouble();
    }
    assertEquals(sum, j.get("wall_s").asDouble(), 1e-6, "wall time adds the processes up");
    for (String arm : fieldNames(j.get("arms"))) {
      assertEquals(
          start.get("part").get("curve").get(0),
          j.get("arms").get(arm).get("curve").get(0),
          arm + " opens with the start's end");
    }
    Map<String, Object> tree =
        new ObjectMapper()
            .readValue(
                results.resolve("collapse-tiny.json").toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    String md = Files.readString(results.resolve("collapse-tiny.md"));
    assertEquals(md, CollapseTable.markdown(tree), "the .md renders from the .json");
    assertTrue(md.contains("3 processes"), md);
    study.apply(null).run();
    JsonNode again = new ObjectMapper().readTree(results.resolve("collapse-tiny.json").toFile());
    assertEquals(
        elements(j.get("processes")),
        elements(again.get("processes")),
        "gathering again adds no process");
    assertEquals(j.get("wall_s").asDouble(), again.get("wall_s").asDouble(), 1e-9);

    // A stop in the middle of an arm: no finished part, its curve kept up to the start's end;
    // its checkpoints are there. The arm continues from the newest and takes the lost probe again.
    Files.delete(parts.resolve("w2s.json"));
    Files.delete(results.resolve("collapse-tiny.json"));
    var partial = (com.fasterxml.jackson.databind.node.ObjectNode) w2s.deepCopy();
    var sofar = (com.fasterxml.jackson.databind.node.ObjectNode) partial.get("part");
    sofar.putArray("curve").add(start.get("part").get("curve").get(0));
    sofar.putArray("alignment");
    new ObjectMapper().writeValue(parts.resolve("w2s" + CollapseParts.PARTIAL).toFile(), partial);
    study.apply(null).onlyArms(Set.of(CollapseStudy.W2S)).run();
    JsonNode resumed = new ObjectMapper().readTree(parts.resolve("w2s.json").toFile());
    assertTrue(resumed.get("part").get("resumed").asBoolean(), resumed.toString());
    assertEquals(
        w2s.get("part").get("curve"),
        resumed.get("part").get("curve"),
        "the probe taken again from the checkpoint scores as the one taken in the run");
    assertFalse(Files.exists(parts.resolve("w2s" + CollapseParts.PARTIAL)), "partial dropped");
    JsonNode madeBy = resumed.get("part").get(CollapseParts.PROCESSES);
    assertEquals(2, madeBy.size(), "the process stopped in the middle and the one that went on");
    assertEquals(w2s.get("part").get(CollapseParts.PROCESSES).get(0), madeBy.get(0));

    // Another learning rate: a different study, run whole.
    study.apply(3e-5f).run();
    JsonNode other = new ObjectMapper().readTree(results.resolve("collapse-tiny.json").toFile());
    assertEquals(1, other.get("processes").size(), other.get("processes").toString());
    assertNotEquals(j.get("start"), other.get("start"));
  }

  @Test
  void armsNeedAGivenTeacherAndKnownNames(@TempDir Path dir) {
    var noTeacher =
        CollapseBenchmark.of("tiny", null, null, null, null, dir, dir, null, Progress.NONE);
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> noTeacher.onlyArms(Set.of(CollapseStudy.DMD)));
    assertTrue(e.getMessage().startsWith("--arms: give --teacher"), e.getMessage());
    var withTeacher =
        CollapseBenchmark.of(
            "tiny", null, null, null, null, dir, dir, dir.resolve("t"), Progress.NONE);
    e = assertThrows(IllegalArgumentException.class, () -> withTeacher.onlyArms(Set.of("gan")));
    assertTrue(e.getMessage().contains("'gan'") && e.getMessage().contains("w2s"), e.getMessage());
  }

  private static Set<JsonNode> elements(JsonNode array) {
    Set<JsonNode> s = new HashSet<>();
    array.forEach(s::add);
    return s;
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> s = new HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }
}
