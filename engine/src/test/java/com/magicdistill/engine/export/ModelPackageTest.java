package com.magicdistill.engine.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.Prediction;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {
  static final DitConfig TINY =
      new DitConfig(new ClipShape(4, 8, 8), 2, 4, 24, 2, 2, 2, 0, 0, Set.of());

  @TempDir Path dir;

  /** A tiny generator with noise on every weight (adaLN-Zero would otherwise output zeros). */
  static VideoDiT generator(NDManager m, DitConfig cfg, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    VideoDiT model = new VideoDiT(cfg);
    model.initialize(m);
    for (Parameter p : model.getParameters().values()) {
      NDArray a = p.getArray();
      a.addi(m.randomNormal(0f, 0.2f, a.getShape(), a.getDataType()));
    }
    return model;
  }

  static ModelCard card() {
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("alphaWeak", 0.25);
    hp.put("alphaStrong", 1.0);
    hp.put("criticUpdates", 5);
    hp.put("regression", false);
    hp.put("loraTargets", List.of("fc1", "qkv"));
    hp.put("optimizer", Map.of("name", "adamw", "beta1", 0.0));
    return new ModelCard(
        "tiny-w2s",
        "w2s",
        "run-42",
        "a".repeat(64),
        "b".repeat(64),
        hp,
        Map.of("vbench.avg", 0.8219, "speedupVsEuler28", 7.0),
        "2025-01-31T12:00:00Z",
        "abc1234");
  }

  static NDList inputs(NDManager m) {
    Engine.getInstance().setRandomSeed(7);
    return new NDList(
        m.randomNormal(new Shape(2, 3, 4, 8, 8)),
        m.randomUniform(0f, 1f, new Shape(2)),
        m.randomUniform(-1f, 1f, new Shape(2, 3, 8, 8)));
  }

  static float[] forward(VideoDiT model, NDManager m, NDList in) {
    return model.forward(new ParameterStore(m, false), in, false).singletonOrThrow().toFloatArray();
  }

  Path written(NDManager m) throws Exception {
    Path pkg = dir.resolve("pkg");
    ModelPackage.write(
        pkg, generator(m, TINY, 3), SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card());
    return pkg;
  }

  @Test
  void anX0ModelIsFormat3AndAVelocityModelStaysFormat2() throws Exception {
    assertEquals(ModelPackage.FORMAT_PREDICTION, ModelPackage.format(TINY.withPatchSkip(true)));
    assertEquals(ModelPackage.FORMAT, ModelPackage.format(TINY));
    try (NDManager m = NDManager.newBaseManager()) {
      DitConfig x0 = TINY.withPrediction(Prediction.X0).withPatchSkip(true);
      VideoDiT original = generator(m, x0, 3);
      Path pkg = dir.resolve("x0");
      ModelPackage.write(pkg, original, SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card());
      ObjectMapper json = new ObjectMapper();
      assertEquals(
          ModelPackage.FORMAT_PREDICTION,
          json.readTree(pkg.resolve(ModelPackage.CARD_JSON).toFile()).get("format").asText());
      assertEquals(
          "x0",
          json.readTree(pkg.resolve(ModelPackage.CONFIG).toFile()).get("prediction").asText());
      try (NDManager m2 = NDManager.newBaseManager()) {
        LoadedModel loaded = ModelPackage.load(pkg, m2);
        assertEquals(x0, loaded.model().config());
        assertArrayEquals(
            forward(original, m, inputs(m)), forward(loaded.model(), m2, inputs(m2)), 0f);
      }

      Path velocity = written(m);
      assertEquals(
          ModelPackage.FORMAT,
          json.readTree(velocity.resolve(ModelPackage.CARD_JSON).toFile()).get("format").asText());
      JsonNode plain = json.readTree(velocity.resolve(ModelPackage.CONFIG).toFile());
      assertFalse(
          plain.has("prediction") || plain.has("patchSkip"),
          "a velocity package's config.json is as before the fields existed");
    }
  }

  @Test
  void writeThenLoadIsBitIdenticalWithTheSameOutputs() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT original = generator(m, TINY, 3);
      Path pkg = dir.resolve("pkg");
      ModelPackage.write(pkg, original, SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card());
      try (NDManager m2 = NDManager.newBaseManager()) {
        LoadedModel loaded = ModelPackage.load(pkg, m2);
        assertEquals(TINY, loaded.model().config());
        var a = ModelPackage.parameters(original);
        var b = ModelPackage.parameters(loaded.model());
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
          assertArrayEquals(
              a.get(name).getArray().toByteArray(),
              b.get(name).getArray().toByteArray(),
              "parameter " + name);
        }
        float[] out = forward(original, m, inputs(m));
        assertTrue(maxAbs(out) > 1e-3, "the perturbed model has non-zero outputs");
        assertArrayEquals(out, forward(loaded.model(), m2, inputs(m2)), 0f);
        assertEquals(SigmaSchedule.FOUR_STEP, loaded.schedule());
        assertEquals(card(), loaded.card());
      }
    }
  }

  @Test
  void safetensorsNamesEveryTensorByParameterPathAsFloat32() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      byte[] bytes = Files.readAllBytes(pkg.resolve(ModelPackage.WEIGHTS));
      long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      JsonNode header =
          new ObjectMapper()
              .readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
      Set<String> names = new TreeSet<>();
      header
          .fieldNames()
          .forEachRemaining(
              n -> {
                if (!n.equals("__metadata__")) {
                  names.add(n);
                  assertEquals("F32", header.get(n).get("dtype").asText(), n);
                }
              });
      VideoDiT model = new VideoDiT(TINY);
      model.initialize(m);
      assertEquals(new TreeSet<>(ModelPackage.parameters(model).keySet()), names);
      JsonNode config = new ObjectMapper().readTree(pkg.resolve(ModelPackage.CONFIG).toFile());
      assertEquals(24, config.get("dim").asInt());
      assertEquals(4, config.get("clip").get("frames").asInt());
      JsonNode schedule = new ObjectMapper().readTree(pkg.resolve(ModelPackage.SCHEDULE).toFile());
      assertEquals(4, schedule.get("steps").asInt());
      assertEquals(1.0, schedule.get("guidance").asDouble());
      assertEquals(5, schedule.get("sigmas").size());
      assertEquals(0.9375, schedule.get("sigmas").get(1).asDouble(), 1e-12);
      String md = Files.readString(pkg.resolve(ModelPackage.CARD_MD));
      assertTrue(md.contains("run-42") && md.contains("vbench.avg"), md);
    }
  }

  @Test
  void tensorsHavePyTorchNamesAndLoraFollowsPeft() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      DitConfig withLora = TINY.withLora(2, Set.of("qkv", "fc1"));
      VideoDiT model = generator(m, withLora, 5);
      Path pkg = dir.resolve("lora");
      ModelPackage.write(pkg, model, SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card());
      NDList list = NDList.decode(m, Files.readAllBytes(pkg.resolve(ModelPackage.WEIGHTS)));
      Map<String, Shape> shapes = new LinkedHashMap<>();
      for (NDArray a : list) {
        shapes.put(a.getName(), a.getShape());
      }
      assertEquals(new Shape(24, 7 * 2 * 4 * 4), shapes.get("patch_embed.weight"));
      assertEquals(new Shape(24, 64), shapes.get("sigma_embed.mlp.0.weight"));
      assertEquals(new Shape(6 * 24, 24), shapes.get("blocks.1.adaLN_modulation.1.weight"));
      assertEquals(new Shape(3 * 24), shapes.get("blocks.0.attn.qkv.bias"));
      assertEquals(new Shape(2, 24), shapes.get("blocks.0.attn.qkv.lora_A.weight"));
      assertEquals(new Shape(3 * 24, 2), shapes.get("blocks.0.attn.qkv.lora_B.weight"));
      assertEquals(new Shape(48, 2), shapes.get("blocks.1.mlp.fc1.lora_B.weight"));
      assertEquals(new Shape(3 * 2 * 4 * 4), shapes.get("final_layer.linear.bias"));
      assertFalse(shapes.containsKey("blocks.0.attn.proj.lora_A.weight"), "proj is not targeted");
      assertEquals(model.getParameters().size(), shapes.size(), "one tensor per parameter");
      for (String name : shapes.keySet()) {
        assertTrue(name.matches("[a-z_A-Z]+(\\.[a-zA-Z_0-9]+)*"), name);
      }
      try (NDManager m2 = NDManager.newBaseManager()) {
        LoadedModel loaded = ModelPackage.load(pkg, m2);
        assertArrayEquals(
            forward(model, m, inputs(m)), forward(loaded.model(), m2, inputs(m2)), 0f);
      }
    }
  }

  @Test
  void aFormat1PackageWithDjlNamesStillLoads() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT original = generator(m, TINY, 3);
      Path pkg = dir.resolve("v1");
      ModelPackage.write(pkg, original, SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card());
      Map<Parameter, String> djl = new LinkedHashMap<>();
      ModelPackage.djlPaths(original).forEach((k, v) -> djl.put(v, k));
      Map<String, Parameter> torch = ModelPackage.parameters(original);
      rewriteWeights(pkg, m, list -> list.forEach(a -> a.setName(djl.get(torch.get(a.getName())))));
      rewriteFile(
          pkg,
          ModelPackage.CARD_JSON,
          Files.readString(pkg.resolve(ModelPackage.CARD_JSON))
              .replace(ModelPackage.FORMAT, ModelPackage.FORMAT_DJL_NAMES));
      NDList stored = NDList.decode(m, Files.readAllBytes(pkg.resolve(ModelPackage.WEIGHTS)));
      assertTrue(
          stored.stream().anyMatch(a -> a.getName().equals("01patch_embed_weight")),
          "the weights are renamed to DJL paths");
      try (NDManager m2 = NDManager.newBaseManager()) {
        LoadedModel loaded = ModelPackage.load(pkg, m2);
        assertArrayEquals(
            forward(original, m, inputs(m)), forward(loaded.model(), m2, inputs(m2)), 0f);
      }
      // DJL names under the new format are refused, naming a tensor
      rewriteFile(
          pkg,
          ModelPackage.CARD_JSON,
          Files.readString(pkg.resolve(ModelPackage.CARD_JSON))
              .replace(ModelPackage.FORMAT_DJL_NAMES, ModelPackage.FORMAT));
      var e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertTrue(e.getMessage().contains("01patch_embed_weight"), e.getMessage());
      // an unknown format names the formats this build reads
      rewriteFile(
          pkg,
          ModelPackage.CARD_JSON,
          Files.readString(pkg.resolve(ModelPackage.CARD_JSON))
              .replace(ModelPackage.FORMAT, "magicdistill-model-package/9"));
      e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertTrue(e.getMessage().contains(ModelPackage.FORMAT_DJL_NAMES), e.getMessage());
    }
  }

  @Test
  void sha256sumsListsEveryFileAndMatchesMessageDigest() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      List<String> lines = Files.readAllLines(pkg.resolve(ModelPackage.SUMS));
      Set<String> listed = new TreeSet<>();
      for (String line : lines) {
        assertTrue(line.matches("[0-9a-f]{64}  [^ ].*"), line);
        String name = line.substring(66);
        listed.add(name);
        String expected =
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(pkg.resolve(name))));
        assertEquals(expected, line.substring(0, 64), name);
      }
      Set<String> files = new TreeSet<>();
      try (Stream<Path> s = Files.list(pkg)) {
        s.forEach(p -> files.add(p.getFileName().toString()));
      }
      files.remove(ModelPackage.SUMS);
      assertEquals(files, listed);
      assertEquals(new TreeSet<>(ModelPackage.FILES), listed);
      assertEquals(listed, ModelPackage.verify(pkg).keySet());
      if (Files.getFileStore(pkg).supportsFileAttributeView("posix")) {
        assertTrue(
            Files.getPosixFilePermissions(pkg).contains(PosixFilePermission.OTHERS_READ),
            "a package folder is readable by others (temp folders start 0700)");
      }
    }
  }

  @Test
  void coreutilsSha256sumAcceptsThePackage() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/sha256sum")), "no sha256sum here");
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      Process p =
          new ProcessBuilder("/usr/bin/sha256sum", "-c", "--strict", ModelPackage.SUMS)
              .directory(pkg.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), out);
    }
  }

  @Test
  void aTamperedWeightsFileIsNamed() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      Path w = pkg.resolve(ModelPackage.WEIGHTS);
      byte[] bytes = Files.readAllBytes(w);
      bytes[bytes.length - 5] ^= 0x01;
      Files.write(w, bytes);
      var e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertEquals(ModelPackage.WEIGHTS, e.file());
      assertTrue(e.getMessage().contains("weights.safetensors"), e.getMessage());
      assertTrue(e.getMessage().contains("sha256"), e.getMessage());
      assertThrows(PackageIntegrityException.class, () -> ModelPackage.verify(pkg));
    }
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      Files.delete(pkg.resolve(ModelPackage.SCHEDULE));
      var e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertEquals(ModelPackage.SCHEDULE, e.file());
      assertTrue(e.getMessage().contains("schedule.json is missing"), e.getMessage());

      Files.delete(pkg.resolve(ModelPackage.SUMS));
      e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertTrue(e.getMessage().contains("SHA256SUMS is missing"), e.getMessage());
    }
  }

  @Test
  void anUnlistedRequiredFileIsNamed() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      Path sums = pkg.resolve(ModelPackage.SUMS);
      List<String> kept =
          Files.readAllLines(sums).stream().filter(l -> !l.endsWith(ModelPackage.CONFIG)).toList();
      Files.write(sums, kept);
      var e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertEquals(ModelPackage.CONFIG, e.file());
      assertTrue(e.getMessage().contains("does not list config.json"), e.getMessage());
    }
  }

  @Test
  void anUnknownParameterIsNamed() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      rewriteWeights(
          pkg,
          m,
          list -> {
            NDArray extra = m.zeros(new Shape(3));
            extra.setName("99extra_weight");
            list.add(extra);
          });
      var e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertTrue(e.getMessage().contains("99extra_weight"), e.getMessage());
    }
  }

  @Test
  void aShapeMismatchNamesTheParameter() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      String[] victim = new String[1];
      rewriteWeights(
          pkg,
          m,
          list -> {
            NDArray first = list.get(0);
            victim[0] = first.getName();
            NDArray wrong = m.zeros(new Shape(first.getShape().size() + 1));
            wrong.setName(first.getName());
            list.set(0, wrong);
          });
      var e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertTrue(e.getMessage().contains("'" + victim[0] + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }
  }

  @Test
  void aMissingParameterIsNamed() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      String[] victim = new String[1];
      rewriteWeights(pkg, m, list -> victim[0] = list.remove(list.size() - 1).getName());
      var e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.load(pkg, m));
      assertTrue(e.getMessage().contains("'" + victim[0] + "'"), e.getMessage());
    }
  }

  @Test
  void writeRefusesAnExistingPackageAndLeavesNoPartialFolder() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path pkg = written(m);
      byte[] before = Files.readAllBytes(pkg.resolve(ModelPackage.SUMS));
      assertThrows(
          FileAlreadyExistsException.class,
          () ->
              ModelPackage.write(
                  pkg,
                  generator(m, TINY, 4),
                  SigmaSchedule.FOUR_STEP,
                  SamplerKind.RENOISE,
                  card()));
      assertArrayEquals(before, Files.readAllBytes(pkg.resolve(ModelPackage.SUMS)));

      // a failure half-way (uninitialised model) leaves neither the package nor a temp folder
      Path other = dir.resolve("other");
      assertThrows(
          RuntimeException.class,
          () ->
              ModelPackage.write(
                  other, new VideoDiT(TINY), SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card()));
      assertFalse(Files.exists(other));
      try (Stream<Path> s = Files.list(dir)) {
        assertEquals(List.of("pkg"), s.map(p -> p.getFileName().toString()).sorted().toList());
      }
      // an empty folder is fine to write into
      Files.createDirectory(other);
      ModelPackage.write(
          other, generator(m, TINY, 4), SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card());
      assertNotEquals(
          Files.readString(pkg.resolve(ModelPackage.SUMS)),
          Files.readString(other.resolve(ModelPackage.SUMS)));
      ModelPackage.verify(other);
    }
  }

  @Test
  void theExportPackageDoesNotDependOnTrainingCode() throws Exception {
    Path src = Path.of("src/main/java/com/magicdistill/engine/export");
    assumeTrue(Files.isDirectory(src), "sources not at " + src.toAbsolutePath());
    try (Stream<Path> s = Files.list(src)) {
      for (Path f : s.toList()) {
        assertFalse(
            Files.readString(f).contains("com.magicdistill.engine.train"),
            f + " imports training code: the package must load without it");
      }
    }
  }

  interface ListEdit {
    void apply(NDList list);
  }

  /** Rewrites weights.safetensors with {@code edit} and re-signs SHA256SUMS (a valid package). */
  static void rewriteWeights(Path pkg, NDManager m, ListEdit edit) throws Exception {
    Path w = pkg.resolve(ModelPackage.WEIGHTS);
    NDList list = NDList.decode(m, Files.readAllBytes(w));
    edit.apply(list);
    byte[] bytes = list.encode(NDList.Encoding.SAFETENSORS);
    Files.write(w, bytes);
    Path sums = pkg.resolve(ModelPackage.SUMS);
    String sha = Sha256.of(bytes);
    List<String> lines =
        Files.readAllLines(sums).stream()
            .map(
                l ->
                    l.endsWith("  " + ModelPackage.WEIGHTS) ? sha + "  " + ModelPackage.WEIGHTS : l)
            .toList();
    Files.write(sums, lines);
  }

  /** Replaces one package file and re-signs it in SHA256SUMS. */
  static void rewriteFile(Path pkg, String name, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Files.write(pkg.resolve(name), bytes);
    String sha = Sha256.of(bytes);
    Path sums = pkg.resolve(ModelPackage.SUMS);
    Files.write(
        sums,
        Files.readAllLines(sums).stream()
            .map(l -> l.endsWith("  " + name) ? sha + "  " + name : l)
            .toList());
  }

  static float maxAbs(float[] a) {
    float max = 0;
    for (float v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
