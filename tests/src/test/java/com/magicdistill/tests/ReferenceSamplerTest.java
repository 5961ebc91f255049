package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.export.ModelCard;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.Prediction;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * python/reference_sampler.py (numpy only) reproduces {@code magic generate}'s clips from the
 * package and the noise of {@code --dump-noise} to 1e-4 (docs/MODEL_PACKAGE.md#reference-sampler).
 */
class ReferenceSamplerTest {
  static final Path SCRIPT = Path.of("../python/reference_sampler.py");

  @TempDir Path dir;

  /** A tiny generator with noise on every weight (adaLN-Zero would otherwise output zeros). */
  Path writePackage(String name, DitConfig cfg, SigmaSchedule schedule, SamplerKind sampler)
      throws Exception {
    Path pkg = dir.resolve(name);
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      VideoDiT generator = new VideoDiT(cfg);
      generator.initialize(m);
      for (Parameter p : generator.getParameters().values()) {
        NDArray a = p.getArray();
        a.addi(m.randomNormal(0f, 0.2f, a.getShape(), a.getDataType()));
      }
      ModelCard card = ModelCard.now(name, "w2s", "run-7", null, null, Map.of(), Map.of(), "test");
      ModelPackage.write(pkg, generator, schedule, sampler, card);
    }
    return pkg;
  }

  /** Generates with --dump-noise, runs the Python sampler on the dump, returns its report. */
  JsonNode compare(Path pkg, int images) throws Exception {
    Path face = new GenerateCommandTest().writeFaceIn(dir);
    List<String> args =
        new ArrayList<>(List.of("generate", "--model", pkg.toString(), "--seed", "99"));
    for (int i = 0; i < images; i++) {
      args.addAll(List.of("--image", face.toString()));
    }
    Path dump = dir.resolve(pkg.getFileName() + "-noise.safetensors");
    args.addAll(List.of("--out", dir.resolve("out").toString(), "--dump-noise", dump.toString()));
    var r = GenerateCommandTest.magic(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.size(dump) > 0, "the dump is written");

    Process p =
        new ProcessBuilder(
                "python3",
                SCRIPT.toString(),
                "--model",
                pkg.toString(),
                "--noise",
                dump.toString(),
                "--tolerance",
                "1e-4")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "reference sampler timed out");
    assertTrue(
        !out.contains("No module named 'numpy'"),
        "the reference sampler needs numpy: apt-get install -y python3-numpy (.ci/run does)");
    assertEquals(0, p.exitValue(), out);
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    System.out.println("reference sampler on " + pkg.getFileName() + ": " + last);
    return new ObjectMapper().readTree(last);
  }

  @Test
  void pythonReproducesTheRenoisingGeneratorsClips() throws Exception {
    DitConfig cfg = GenerateCommandTest.TINY;
    Path pkg = writePackage("renoise", cfg, SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE);
    JsonNode report = compare(pkg, 2);
    assertEquals(2, report.get("clips").asInt());
    assertEquals("renoise", report.get("sampler").asText());
    assertTrue(report.get("max_abs_diff_output").asDouble() <= 1e-4, report.toString());
    assertTrue(report.get("max_abs_diff_clip").asDouble() <= 1e-4, report.toString());
  }

  @Test
  void pythonReproducesEulerWithLora() throws Exception {
    DitConfig cfg = GenerateCommandTest.TINY.withLora(2, Set.of("qkv", "fc2", "adaln"));
    Path pkg = writePackage("euler", cfg, new SigmaSchedule(3, 3.0), SamplerKind.EULER);
    JsonNode report = compare(pkg, 1);
    assertEquals("euler", report.get("sampler").asText());
    assertTrue(report.get("max_abs_diff_output").asDouble() <= 1e-4, report.toString());
  }

  @Test
  void pythonReproducesAnX0PredictingGeneratorWithAPatchSkip() throws Exception {
    DitConfig cfg = GenerateCommandTest.TINY.withPrediction(Prediction.X0).withPatchSkip(true);
    Path pkg = writePackage("x0", cfg, SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE);
    JsonNode report = compare(pkg, 1);
    assertTrue(report.get("max_abs_diff_output").asDouble() <= 1e-4, report.toString());
    assertTrue(report.get("max_abs_diff_clip").asDouble() <= 1e-4, report.toString());
  }
}
