package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed paper-v2 teacher ({@code bench/fixtures/teacher-paper-v2}) loads as the benches
 * load a {@code --teacher} folder (its CRC-32C verified), has the paper-v2 preset's architecture,
 * and is the file its README names by sha256.
 */
class TeacherFixtureTest {
  private static final String NAME = "teacher-paper-v2";

  @Test
  void theCommittedTeacherIsThePaperV2ArchitectureAndTheFileItsReadmeNames() throws Exception {
    Path fixtures = CommittedResultsTest.resultsDir().getParent().resolve("fixtures");
    LocalDirectoryStore store = new LocalDirectoryStore(fixtures);
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT teacher = ModelCheckpoints.loadEma(store, NAME, m);
      // The teacher carries no LoRA; distillation adds it (DistillModels).
      assertEquals(EnginePreset.paperV2().model().withLora(0, Set.of()), teacher.config());
    }
    CheckpointIO.Manifest manifest = CheckpointIO.readManifest(store, NAME);
    assertTrue(manifest.tensors().stream().allMatch(n -> n.startsWith("model.")), "weights only");
    String readme = Files.readString(fixtures.resolve(NAME).resolve("README.md"));
    String sha256 = CheckpointIO.tensorSha256(store, NAME);
    assertTrue(readme.contains(sha256), "README.md names sha256 " + sha256);
  }
}
