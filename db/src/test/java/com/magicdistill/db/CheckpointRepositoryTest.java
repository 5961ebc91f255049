package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CheckpointRepository} (checkpoints) against a real PostgreSQL. */
class CheckpointRepositoryTest extends RepositoryTestBase {

  @Test
  void checkpointsRoundTripByStepAndAreMarkedDeleted() {
    repos.runs().createRun(run("r-ckpt", null));
    long a1 = repos.stages().startAttempt("r-ckpt", "w2s", 1, "w", 0, null);
    repos
        .checkpoints()
        .recordCheckpoint(
            "r-ckpt", "w2s", a1, "runs/r-ckpt/w2s/200", 200, 2048, "crc32c:0000c200", 0.25);
    repos
        .checkpoints()
        .recordCheckpoint(
            "r-ckpt",
            "w2s",
            a1,
            "runs/r-ckpt/w2s/100",
            100,
            1024,
            "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            null);
    long a2 = repos.stages().startAttempt("r-ckpt", "w2s", 2, "w", 100, "runs/r-ckpt/w2s/100");
    repos
        .checkpoints()
        .recordCheckpoint(
            "r-ckpt", "w2s", a2, "runs/r-ckpt/w2s/200", 200, 2050, "crc32c:00c200b0", 0.2);
    repos.checkpoints().markCheckpointDeleted("runs/r-ckpt/w2s/100");
    repos.checkpoints().markCheckpointDeleted("runs/r-ckpt/w2s/100");

    List<CheckpointRow> rows = repos.checkpoints().checkpoints("r-ckpt", "w2s");
    assertEquals(List.of(100L, 200L), rows.stream().map(CheckpointRow::step).toList());
    CheckpointRow old = rows.get(0);
    assertEquals(a1, old.attemptId());
    assertEquals(1024, old.bytes());
    assertEquals("sha256:" + "a".repeat(64), old.checksum());
    assertNull(old.metric());
    assertNotNull(old.deletedAt());
    CheckpointRow rewritten = rows.get(1);
    assertEquals(a2, rewritten.attemptId(), "a retried write replaces the row");
    assertEquals("runs/r-ckpt/w2s/200", rewritten.objectKey());
    assertEquals(2050, rewritten.bytes());
    assertEquals("crc32c:00c200b0", rewritten.checksum());
    assertEquals(0.2, rewritten.metric());
    assertEquals("r-ckpt", rewritten.runId());
    assertEquals("w2s", rewritten.stage());
    assertNotNull(rewritten.createdAt());
    assertNull(rewritten.deletedAt());

    var e =
        assertThrows(
            RepositoryException.class,
            () -> repos.checkpoints().markCheckpointDeleted("runs/nope"));
    assertTrue(e.getMessage().contains("runs/nope"), e.getMessage());
  }

  @Test
  void aChecksumWithoutItsAlgorithmIsRefused() {
    repos.runs().createRun(run("r-sum", null));
    long a = repos.stages().startAttempt("r-sum", "w2s", 1, "w", 0, null);
    for (String bad : List.of("1a2b3c4d", "crc32c:1A2B3C4D", "md5:" + "0".repeat(32))) {
      assertThrows(
          RepositoryException.class,
          () ->
              repos
                  .checkpoints()
                  .recordCheckpoint("r-sum", "w2s", a, "runs/r-sum/w2s/1", 1, 1, bad, null),
          bad);
    }
    assertTrue(repos.checkpoints().checkpoints("r-sum", "w2s").isEmpty());
  }

  @Test
  void writeForAnUnknownRunNamesOperationAndRun() {
    var e =
        assertThrows(
            RepositoryException.class,
            () ->
                repos
                    .checkpoints()
                    .recordCheckpoint("r-ghost", "w2s", 1, "k", 1, 1, "crc32c:00000000", null));
    assertTrue(
        e.getMessage().contains("recordCheckpoint")
            && e.getMessage().contains("r-ghost")
            && e.getMessage().contains("w2s"),
        e.getMessage());
  }
}
