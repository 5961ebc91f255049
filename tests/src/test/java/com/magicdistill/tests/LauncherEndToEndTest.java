package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.cli.MagicCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine through the launcher's commands, in process: data synth -> train teacher (and resume)
 * -> sample -> eval, on a tiny dataset; and bad input failing with a message naming the field.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherEndToEndTest {
  @TempDir static Path dir;

  /** Runs the CLI, capturing stdout and stderr; returns (exit code, stderr, stdout). */
  static Result magic(String... args) {
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = MagicCli.run(args);
      return new Result(
          code, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
      oldOut.print(out.toString(StandardCharsets.UTF_8));
    }
  }

  record Result(int code, String err, String out) {}

  /** Every file under {@code dir} with its modification time: a retrain rewrites them. */
  static Map<Path, FileTime> files(Path dir) throws IOException {
    Map<Path, FileTime> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p), Files.getLastModifiedTime(p));
      }
    }
    return m;
  }

  @Test
  @Order(1)
  void synthWritesShardsAndAManifestWithVerdicts() throws Exception {
    var r =
        magic(
            "data",
            "synth",
            "--out",
            dir.resolve("data").toString(),
            "--portraits",
            "10",
            "--general",
            "4",
            "--poor-per-defect",
            "1");
    assertEquals(0, r.code(), r.err());
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("data/manifest.json").toFile());
    assertEquals(1, manifest.get("shards").size());
    int clips = 0;
    int rejected = 0;
    for (JsonNode c : manifest.get("shards").get(0).get("clips")) {
      clips++;
      JsonNode v = c.get("verdict");
      if (v != null && !v.isNull() && !v.get("kept").asBoolean()) {
        rejected++;
        assertTrue(v.get("reasons").size() > 0, "a rejected clip says why");
      }
    }
    assertEquals(10 + 4 + 5, clips);
    assertEquals(5, rejected, "each of the five poor clips is rejected");
  }

  @Test
  @Order(2)
  void trainTeacherWritesBothPhasesAndResumes() throws Exception {
    String data = dir.resolve("data").toString();
    String run = dir.resolve("run").toString();
    var r =
        magic(
            "train",
            "teacher",
            "--data",
            data,
            "--out",
            run,
            "--base-steps",
            "3",
            "--steps",
            "2",
            "--batch-size",
            "2",
            "--checkpoint-every",
            "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(dir.resolve("run/base/latest")));
    assertTrue(Files.exists(dir.resolve("run/teacher/step-00000002/checkpoint.json")));
    Map<Path, FileTime> base = files(dir.resolve("run/base"));
    Map<Path, FileTime> teacher = files(dir.resolve("run/teacher"));
    // Longer fine-tune, resumed: continues from step 2 instead of starting over.
    r =
        magic(
            "train",
            "teacher",
            "--data",
            data,
            "--out",
            run,
            "--base-steps",
            "3",
            "--steps",
            "4",
            "--batch-size",
            "2",
            "--checkpoint-every",
            "2",
            "--resume");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(dir.resolve("run/teacher/step-00000004/checkpoint.json")));
    try (Stream<Path> s = Files.list(dir.resolve("run/base"))) {
      assertEquals(
          2,
          s.filter(p -> p.getFileName().toString().startsWith("step-")).count(),
          "base was complete and is not retrained");
    }
    assertTrue(
        r.out()
            .lines()
            .anyMatch(l -> l.equals("base: nothing left to train, all 3 steps were done before")),
        r.out());
    assertEquals(base, files(dir.resolve("run/base")), "base was not rewritten");
    for (String f : List.of("step-00000002/checkpoint.json", "step-00000002/tensors.safetensors")) {
      Path p = Path.of(f);
      assertEquals(teacher.get(p), files(dir.resolve("run/teacher")).get(p), "kept " + f);
    }
    assertTrue(
        r.out().lines().anyMatch(l -> l.startsWith("teacher: 4 steps") && l.endsWith(", resumed")),
        r.out());
  }

  @Test
  @Order(3)
  void sampleWritesGifMp4AndContactSheet() {
    Path out = dir.resolve("samples");
    var r =
        magic(
            "sample",
            "--checkpoint",
            dir.resolve("run/teacher").toString(),
            "--synthetic",
            "2",
            "--steps",
            "4",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(out.resolve("synthetic-0.gif")));
    assertTrue(Files.exists(out.resolve("synthetic-1.mp4")));
    assertTrue(Files.exists(out.resolve("contact-sheet.png")));
  }

  @Test
  @Order(4)
  void evalReportsEveryMetric() throws Exception {
    Path out = dir.resolve("eval.json");
    var r =
        magic(
            "eval",
            "--checkpoint",
            dir.resolve("run/teacher").toString(),
            "--steps",
            "4",
            "--held-out",
            "4",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = new ObjectMapper().readTree(out.toFile());
    assertEquals(4, m.get("model_calls").asInt());
    assertTrue(m.get("fd_clip").asDouble() > 0);
    for (String k :
        new String[] {
          "i2v_subject",
          "subject_consistency",
          "motion_smoothness",
          "dynamic_degree",
          "imaging_quality",
          "temporal_flickering",
          "avg"
        }) {
      double v = m.get("vbench").get(k).asDouble();
      assertTrue(v >= 0 && v <= 1, k + " = " + v);
    }
  }

  @Test
  @Order(5)
  void distillRunsDmdThenW2sThenExportsAndResumes() throws Exception {
    String[] args = {
      "distill",
      "w2s",
      "--teacher",
      dir.resolve("run/teacher").toString(),
      "--data",
      dir.resolve("data").toString(),
      "--out",
      dir.resolve("distill").toString(),
      "--iterations",
      "2",
      "--w2s-iterations",
      "2"
    };
    var r = magic(args);
    assertEquals(0, r.code(), r.err());
    JsonNode pointer = new ObjectMapper().readTree(dir.resolve("distill/w2s/latest.json").toFile());
    assertEquals(4, pointer.get("iteration").asInt(), "W2S continues the DMD stage's count");
    assertTrue(Files.exists(dir.resolve("distill/export/w2s/SHA256SUMS")));
    String[] resumed = java.util.Arrays.copyOf(args, args.length + 1);
    resumed[args.length] = "--resume";
    Map<Path, FileTime> before = files(dir.resolve("distill"));
    r = magic(resumed);
    assertEquals(0, r.code(), "a finished run resumes to a no-op: " + r.err());
    assertEquals(before, files(dir.resolve("distill")), "no checkpoint or pointer was rewritten");
    assertTrue(r.out().contains("model package already exported"), r.out());

    r =
        magic(
            "eval",
            "--checkpoint",
            dir.resolve("distill/w2s/generator").toString(),
            "--steps",
            "4",
            "--shift",
            "5",
            "--sampler",
            "renoise",
            "--held-out",
            "4");
    assertEquals(0, r.code(), r.err());

    // the exported package, evaluated with its own schedule on held-out data and seeds we choose
    Path evalOut = dir.resolve("eval-model.json");
    r =
        magic(
            "eval",
            "--model",
            dir.resolve("distill/export/w2s").toString(),
            "--held-out",
            "4",
            "--held-out-seed",
            "77",
            "--seed",
            "5",
            "--out",
            evalOut.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = new ObjectMapper().readTree(evalOut.toFile());
    assertEquals("renoise", m.get("sampler").asText());
    assertEquals(4, m.get("model_calls").asInt());
    assertEquals(5, m.get("seed").asInt());
    assertEquals(4, m.get("held_out_clips").asInt());
    assertTrue(m.get("held_out").asText().contains("77"), m.toString());
    assertTrue(m.has("ci95") && m.has("motion_ratio"), m.toString());
    r = magic("eval", "--model", dir.resolve("distill/export/w2s").toString(), "--steps", "8");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("--steps applies to --checkpoint only"), r.err());
  }

  @Test
  @Order(6)
  void lcmBaselineTrains() {
    var r =
        magic(
            "distill",
            "lcm",
            "--teacher",
            dir.resolve("run/teacher").toString(),
            "--data",
            dir.resolve("data").toString(),
            "--out",
            dir.resolve("lcm").toString(),
            "--steps",
            "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(dir.resolve("lcm/lcm/latest")));
  }

  @Test
  void badInputFailsFastNamingTheField() {
    var r = magic("bench", "teacher", "--preset", "huge");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("preset") && r.err().contains("smoke"), r.err());

    r = magic("train", "teacher", "--data", dir.resolve("nope").toString(), "--out", "x");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nope"), r.err());

    r = magic("sample", "--checkpoint", dir.toString(), "--synthetic", "1", "--steps", "-3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("steps"), r.err());
  }
}
