package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerControlTest {
  @Test
  void aStopRequestCheckpointsTheStepReached(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    AtomicInteger asked = new AtomicInteger();
    try (NDManager m = NDManager.newBaseManager()) {
      Block a = TinyModels.mlp(m, 2, 16, 32, 64, 1);
      try (Trainer t =
          new Trainer(
              a,
              null,
              TrainerResumeTest.config(12),
              TinyModels.regression(2, 16, 32),
              store,
              "r")) {
        t.control(new StageControl(0, () -> asked.incrementAndGet() == 7)).run();
        assertTrue(t.stopped());
        assertEquals(7, t.completedSteps());
        assertEquals("r/step-00000007", CheckpointIO.latest(store, "r").orElseThrow());
      }
    }
  }

  @Test
  void aStopWhoseCheckpointWouldNotFitWritesNoneAndSaveTimesAreReported(@TempDir Path dir)
      throws Exception {
    var store = new LocalDirectoryStore(dir);
    AtomicInteger asked = new AtomicInteger();
    List<Double> saveSeconds = new CopyOnWriteArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      Block a = TinyModels.mlp(m, 2, 16, 32, 64, 1);
      try (Trainer t =
          new Trainer(
              a,
              null,
              TrainerResumeTest.config(12),
              TinyModels.regression(2, 16, 32),
              store,
              "r")) {
        t.control(
                new StageControl(
                    0, () -> asked.incrementAndGet() == 7, () -> false, saveSeconds::add))
            .run();
        assertTrue(t.stopped());
        assertEquals(7, t.completedSteps());
        assertEquals(
            "r/step-00000005",
            CheckpointIO.latest(store, "r").orElseThrow(),
            "only the periodic checkpoint of step 5");
        assertFalse(store.exists("r/step-00000007/checkpoint.json"));
      }
    }
    assertEquals(1, saveSeconds.size(), "the step-5 checkpoint's save time: " + saveSeconds);
    assertTrue(saveSeconds.get(0) > 0, saveSeconds.toString());
  }

  @Test
  void timeBasedCheckpointsAreWrittenBetweenStepCheckpoints(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      Block a = TinyModels.mlp(m, 2, 16, 32, 64, 1);
      try (Trainer t =
          new Trainer(
              a, null, TrainerResumeTest.config(4), TinyModels.regression(2, 16, 32), store, "r")) {
        // every 0 ns is "always due": every step checkpoints although checkpointEvery is 5
        t.control(new StageControl(1e-9, () -> false)).run();
      }
    }
    for (int s = 1; s <= 4; s++) {
      assertTrue(store.exists(String.format("r/step-%08d/checkpoint.json", s)), "step " + s);
    }
  }

  @Test
  void aCorruptLatestCheckpointIsSkippedForThePreviousOne(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      Block a = TinyModels.mlp(m, 2, 16, 32, 64, 1);
      try (Trainer t =
          new Trainer(
              a,
              null,
              TrainerResumeTest.config(10),
              TinyModels.regression(2, 16, 32),
              store,
              "r")) {
        t.run(); // checkpoints at 5 and 10
      }
      Path tensors = dir.resolve("r/step-00000010/tensors.safetensors");
      byte[] bytes = Files.readAllBytes(tensors);
      bytes[bytes.length - 3] ^= 0x11;
      Files.write(tensors, bytes);
      Block b = TinyModels.mlp(m, 2, 16, 32, 64, 2);
      try (Trainer t =
          new Trainer(
              b,
              null,
              TrainerResumeTest.config(10),
              TinyModels.regression(2, 16, 32),
              store,
              "r")) {
        assertTrue(t.resumeFromLatest());
        assertEquals(5, t.completedSteps(), "fell back to the checkpoint before the corrupt one");
      }
    }
  }
}
