package com.magicdistill.engine.distill;

import static com.magicdistill.engine.distill.DistributionMatchingTest.clips;
import static com.magicdistill.engine.distill.DistributionMatchingTest.config;
import static com.magicdistill.engine.distill.DistributionMatchingTest.snapshot;
import static com.magicdistill.engine.distill.DistributionMatchingTest.teacher;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.StageControl;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the durable pipeline relies on: a stage stopped on request checkpoints the iteration it
 * reached and resumes from there bit-identically, and a corrupt newest checkpoint pair is skipped
 * for the previous one.
 */
class StageControlTest {
  @Test
  void aStopRequestCheckpointsAndTheResumeIsBitIdentical(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    Map<String, float[]> straight;
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(5, 0.25f, false), m);
      new DistributionMatching("w2s", config(5, 0.25f, false))
          .run(
              models,
              clips(),
              null,
              0,
              new CheckpointedRun<>(store, "straight", false, null, StageControl.NONE));
      straight = snapshot(models.generator());
    }
    AtomicInteger asked = new AtomicInteger();
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(5, 0.25f, false), m);
      var stop = new StageControl(0, () -> asked.incrementAndGet() == 3);
      var result =
          new DistributionMatching("w2s", config(5, 0.25f, false))
              .run(
                  models,
                  clips(),
                  null,
                  0,
                  new CheckpointedRun<>(store, "stopped", false, null, stop));
      assertTrue(result.stopped());
      assertEquals(3, result.endIteration(), "checkpointed at the iteration it stopped at");
    }
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(5, 0.25f, false), m);
      long[] updates = new long[2];
      var told =
          new DistributionMatching.Listener() {
            @Override
            public void onIteration(DistributionMatching.IterationStats stats) {}

            @Override
            public void onUpdates(long done, long last) {
              updates[0] = done;
              updates[1] = last;
            }
          };
      var result =
          new DistributionMatching("w2s", config(5, 0.25f, false))
              .run(
                  models,
                  clips(),
                  null,
                  0,
                  new CheckpointedRun<>(store, "stopped", true, told, StageControl.NONE));
      assertArrayEquals(new long[] {3, 5}, updates, "a progress bar is told where it resumed");
      assertFalse(result.stopped());
      assertEquals(5, result.endIteration());
      Map<String, float[]> resumed = snapshot(models.generator());
      for (var k : straight.keySet()) {
        assertArrayEquals(straight.get(k), resumed.get(k), 0f, k);
      }
    }
  }

  @Test
  void aCorruptNewestPairIsSkippedForThePreviousOne(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    Map<String, float[]> straight;
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(6, 0f, false), m);
      new DistributionMatching("dmd", config(6, 0f, false))
          .run(
              models,
              clips(),
              null,
              0,
              new CheckpointedRun<>(store, "straight", false, null, StageControl.NONE));
      straight = snapshot(models.generator());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      // checkpoints every 2 iterations: pairs at 2 and 4, stopped at 4
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(6, 0f, false), m);
      var stop =
          new StageControl(
              0,
              new java.util.function.BooleanSupplier() {
                int n;

                @Override
                public boolean getAsBoolean() {
                  return ++n == 4;
                }
              });
      new DistributionMatching("dmd", config(6, 0f, false))
          .run(models, clips(), null, 0, new CheckpointedRun<>(store, "run", false, null, stop));
    }
    Path tensors = dir.resolve("run/generator/step-00000004/tensors.safetensors");
    byte[] bytes = Files.readAllBytes(tensors);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(tensors, bytes);
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(6, 0f, false), m);
      var result =
          new DistributionMatching("dmd", config(6, 0f, false))
              .run(
                  models,
                  clips(),
                  null,
                  0,
                  new CheckpointedRun<>(store, "run", true, null, StageControl.NONE));
      assertEquals(6, result.endIteration());
      assertEquals(1, result.stats().get(0).iteration() - 2, "resumed after iteration 2");
      Map<String, float[]> resumed = snapshot(models.generator());
      for (var k : straight.keySet()) {
        assertArrayEquals(straight.get(k), resumed.get(k), 0f, k);
      }
    }
  }
}
