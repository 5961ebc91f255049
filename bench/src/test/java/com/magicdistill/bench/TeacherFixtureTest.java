package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.Prediction;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed paper-v2 teachers ({@code bench/fixtures/teacher-paper-v2}, and {@code
 * teacher-paper-v2-x0} that predicts x0, {@code teacher-paper-v2-x0-skip} with a patch skip too)
 * load as the benches load a {@code --teacher} folder (their CRC-32C verified), have the paper-v2
 * preset's architecture, and are the files their READMEs name by sha256.
 */
class TeacherFixtureTest {
  @Test
  void theCommittedTeacherIsThePaperV2ArchitectureAndTheFileItsReadmeNames() throws Exception {
    // The teacher carries no LoRA; distillation adds it (DistillModels).
    check("teacher-paper-v2", EnginePreset.paperV2().model().withLora(0, Set.of()));
  }

  @Test
  void theX0TeacherIsThePaperV2ArchitecturePredictingX0() throws Exception {
    check(
        "teacher-paper-v2-x0",
        EnginePreset.paperV2().model().withLora(0, Set.of()).withPrediction(Prediction.X0));
  }

  @Test
  void theX0SkipTeacherHasThePatchSkipToo() throws Exception {
    check(
        "teacher-paper-v2-x0-skip",
        EnginePreset.paperV2()
            .model()
            .withLora(0, Set.of())
            .withPrediction(Prediction.X0)
            .withPatchSkip(true));
  }

  private static void check(String name, DitConfig architecture) throws Exception {
    Path fixtures = CommittedResultsTest.resultsDir().getParent().resolve("fixtures");
    LocalDirectoryStore store = new LocalDirectoryStore(fixtures);
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT teacher = ModelCheckpoints.loadEma(store, name, m);
      assertEquals(architecture, teacher.config());
    }
    CheckpointIO.Manifest manifest = CheckpointIO.readManifest(store, name);
    assertTrue(manifest.tensors().stream().allMatch(n -> n.startsWith("model.")), "weights only");
    String readme = Files.readString(fixtures.resolve(name).resolve("README.md"));
    String sha256 = CheckpointIO.tensorSha256(store, name);
    assertTrue(readme.contains(sha256), "README.md names sha256 " + sha256);
  }
}
