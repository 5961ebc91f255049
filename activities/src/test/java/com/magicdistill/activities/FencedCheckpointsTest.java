package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.db.Database;
import com.magicdistill.db.EmbeddedDatabase;
import com.magicdistill.db.RunRepository;
import com.magicdistill.engine.store.LocalDirectoryStore;
import com.magicdistill.workflows.PipelineStage;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stale attempt cannot overwrite a newer attempt's checkpoint (the fence is in PostgreSQL). */
class FencedCheckpointsTest {
  @TempDir static Path dir;
  private static EmbeddedDatabase db;
  private static HikariDataSource pool;
  private static RunRepository repo;

  @BeforeAll
  static void start() {
    db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    pool = Database.connect(db.settings());
    Database.migrate(pool);
    repo = new RunRepository(pool);
    RunBookkeepingImpl.register(repo, RunSpecs.forPreset("smoke", "r-fence"), "test");
  }

  @AfterAll
  static void stop() {
    pool.close();
    db.close();
  }

  @Test
  void aSupersededAttemptsWritesAreRefusedAndTheNewerCheckpointSurvives() throws Exception {
    var store = new LocalDirectoryStore(dir.resolve("s3"));
    String stage = PipelineStage.DMD_LORA.slug();
    long first = repo.startAttempt("r-fence", stage, 1, "worker-a", 0, null);
    var stale = new FencedObjectStore(store, () -> repo.isNewestAttempt(first), "attempt 1");
    stale.put("runs/r-fence/dmd-lora/generator/step-00000010/checkpoint.json", new byte[] {1});

    // worker-a is thought lost; attempt 2 takes over and writes the same checkpoint
    long second = repo.startAttempt("r-fence", stage, 2, "worker-b", 10, null);
    var current = new FencedObjectStore(store, () -> repo.isNewestAttempt(second), "attempt 2");
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
