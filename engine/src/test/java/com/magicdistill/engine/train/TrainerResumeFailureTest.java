package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.magicdistill.storage.LocalDirectoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Trainer#resumeFromLatest()} does with broken checkpoints: a bad newest one is skipped
 * for the one before it; when none loads it fails, naming the folder, instead of silently training
 * from step 0.
 */
class TrainerResumeFailureTest {
  static final String RUN = "runs/t";
  static final String STEP2 = RUN + "/step-00000002";
  static final String STEP4 = RUN + "/step-00000004";

  @TempDir Path dir;
  LocalDirectoryStore store;

  /** Checkpoints at steps 2 and 4; {@code latest} names step 4. */
  @BeforeEach
  void trainFourSteps() throws IOException {
    store = new LocalDirectoryStore(dir);
    try (NDManager m = NDManager.newBaseManager();
        Trainer t = trainer(m)) {
      t.run();
    }
    assertEquals(STEP4, CheckpointIO.latest(store, RUN).orElseThrow());
    assertTrue(store.exists(STEP2 + "/" + CheckpointIO.MANIFEST));
  }

  private Trainer trainer(NDManager m) {
    TrainConfig cfg = TrainerResumeTest.config(4).withCheckpointEvery(2);
    return new Trainer(
        TinyModels.mlp(m, TrainerResumeTest.B, TrainerResumeTest.T, 32, 64, 1),
        null,
        cfg,
        TinyModels.regression(TrainerResumeTest.B, TrainerResumeTest.T, 32),
        store,
        RUN);
  }

  /** Resumes a fresh trainer; returns the checkpoint it reported resuming from. */
  private String resume() throws IOException {
    List<String> from = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager();
        Trainer t = trainer(m)) {
      t.addListener(
          new TrainingListener() {
            @Override
            public void onStep(StepStats s) {}

            @Override
            public void onResume(long step, String checkpoint) {
              from.add(step + " " + checkpoint);
            }
          });
      assertTrue(t.resumeFromLatest());
      assertEquals(1, from.size());
      assertEquals(Long.parseLong(from.get(0).split(" ")[0]), t.completedSteps());
    }
    return from.get(0).split(" ")[1];
  }

  private void write(String key, String text) throws IOException {
    Files.writeString(store.pathOf(key), text, StandardCharsets.UTF_8);
  }

  @Test
  void aManifestThatIsNotJsonIsSkippedForThePreviousCheckpoint() throws IOException {
    write(STEP4 + "/" + CheckpointIO.MANIFEST, "{ \"format\": ");
    assertEquals(STEP2, resume());
  }

  @Test
  void aMissingManifestIsSkippedForThePreviousCheckpoint() throws IOException {
    store.delete(STEP4 + "/" + CheckpointIO.MANIFEST);
    assertEquals(STEP2, resume());
  }

  @Test
  void aDanglingLatestPointerFallsBackToTheNewestStepFolder() throws IOException {
    CheckpointIO.markLatest(store, RUN, RUN + "/step-00000099");
    assertEquals(STEP4, resume());
  }

  @Test
  void aLatestPointerWithGarbageFallsBackToTheNewestStepFolder() throws IOException {
    write(RUN + "/latest", "\u0000\u0001 not a checkpoint\n");
    assertEquals(STEP4, resume());
  }

  @Test
  void everyCheckpointCorruptFailsNamingTheFolderAndTheFix() throws IOException {
    for (String step : List.of(STEP2, STEP4)) {
      Path tensors = store.pathOf(step + "/" + CheckpointIO.TENSORS);
      byte[] bytes = Files.readAllBytes(tensors);
      bytes[bytes.length / 2] ^= 1;
      Files.write(tensors, bytes);
    }
    try (NDManager m = NDManager.newBaseManager();
        Trainer t = trainer(m)) {
      NoUsableCheckpointException e =
          assertThrows(NoUsableCheckpointException.class, t::resumeFromLatest);
      assertEquals(0, t.completedSteps());
      String msg = e.getMessage();
      assertTrue(msg.contains(dir.resolve(RUN).toString()), msg);
      assertTrue(msg.contains("2 tried"), msg);
      assertTrue(msg.contains("checksum"), msg);
      assertTrue(msg.contains("Delete the folder") && msg.contains("start a new run"), msg);
    }
  }

  @Test
  void noCheckpointAtAllStartsFresh() throws IOException {
    store.delete(RUN + "/latest");
    for (String step : List.of(STEP2, STEP4)) {
      store.delete(step + "/" + CheckpointIO.MANIFEST);
    }
    try (NDManager m = NDManager.newBaseManager();
        Trainer t = trainer(m)) {
      assertFalse(t.resumeFromLatest());
      assertEquals(0, t.completedSteps());
    }
  }
}
