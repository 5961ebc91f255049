package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.storage.FencedObjectStore;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.storage.StaleAttemptException;
import com.magicdistill.workflows.PipelineStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A stale attempt cannot overwrite a newer attempt's checkpoint (the fence is in PostgreSQL). */
class FencedCheckpointsTest extends EmbeddedRepositoryTest {
  @BeforeAll
  static void registerRun() {
    RunBookkeepingImpl.register(repos, RunSpecs.forPreset("smoke", "r-fence"), "test");
  }

  @Test
  void aSupersededAttemptsWritesAreRefusedAndTheNewerCheckpointSurvives() throws Exception {
    var store = new LocalDirectoryStore(dir.resolve("s3"));
    String stage = PipelineStage.DMD_LORA.slug();
    long first = repos.stages().startAttempt("r-fence", stage, 1, "worker-a", 0, null);
    var stale =
        new FencedObjectStore(store, () -> repos.stages().isNewestAttempt(first), "attempt 1");
    stale.put("runs/r-fence/dmd-lora/generator/step-00000010/checkpoint.json", new byte[] {1});

    // worker-a is thought lost; attempt 2 takes over and writes the same checkpoint
    long second = repos.stages().startAttempt("r-fence", stage, 2, "worker-b", 10, null);
    var current =
        new FencedObjectStore(store, () -> repos.stages().isNewestAttempt(second), "attempt 2");
    byte[] newer = {2, 2};
    current.put("runs/r-fence/dmd-lora/generator/step-00000010/checkpoint.json", newer);

    // worker-a wakes up and tries to write: refused, for puts and deletes alike
    var e =
        assertThrows(
            StaleAttemptException.class,
            () ->
                stale.put(
                    "runs/r-fence/dmd-lora/generator/step-00000010/checkpoint.json",
                    new byte[] {9}));
    assertTrue(
        e.getMessage().contains("attempt 1 is no longer the newest attempt"), e.getMessage());
    assertThrows(
        StaleAttemptException.class,
        () -> stale.delete("runs/r-fence/dmd-lora/generator/step-00000010/checkpoint.json"));
    assertArrayEquals(
        newer, store.get("runs/r-fence/dmd-lora/generator/step-00000010/checkpoint.json"));
    assertTrue(StageRunner.staleAttempt(new java.io.UncheckedIOException(e)) != null);
  }
}
