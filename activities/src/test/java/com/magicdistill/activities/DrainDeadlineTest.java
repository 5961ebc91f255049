package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.train.StageControl;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.PipelineStage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a drain, a stage writes its stop checkpoint only if the last checkpoint's save time (× 1.5)
 * fits the time left before the deadline; the engine side (no checkpoint when told it does not fit)
 * is TrainerControlTest's.
 */
class DrainDeadlineTest extends EmbeddedRepositoryTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @BeforeAll
  static void registerRun() {
    RunBookkeepingImpl.register(repos, RunSpecs.forPreset("smoke", "r-drain"), "test");
  }

  private StageContext context(WorkerDrain drain) throws IOException {
    long attempt = repos.stages().startAttempt("r-drain", "w2s", 1, "w", 0, null);
    return new StageContext(
        RunSpecs.forPreset("smoke", "r-drain"),
        PipelineStage.W2S,
        new LocalDirectoryStore(dir.resolve("s3")),
        repos,
        attempt,
        b -> true,
        drain,
        dir,
        new HeartbeatPump.Timing(Duration.ofSeconds(1), Duration.ofMinutes(30)));
  }

  /** The engine's view after a checkpoint that took {@code seconds} and a SIGTERM with grace. */
  private boolean stopCheckpointAfter(double saveSeconds, Duration grace) throws IOException {
    WorkerDrain drain = new WorkerDrain(now::get);
    try (StageContext ctx = context(drain)) {
      StageControl control = ctx.control();
      control.checkpointSaved().accept(saveSeconds);
      drain.start(grace);
      now.addAndGet(Duration.ofSeconds(1).toNanos()); // the step in flight ends
      assertTrue(control.stopRequested().getAsBoolean(), "a drain stops the stage");
      boolean write = control.checkpointFitsOnStop();
      assertEquals(!write, ctx.stopCheckpointSkipped());
      return write;
    }
  }

  @Test
  void aTooShortDeadlineSkipsTheCheckpoint() throws IOException {
    assertFalse(stopCheckpointAfter(4, Duration.ofSeconds(5)), "4 s × 1.5 > 4 s left");
  }

  @Test
  void enoughTimeWritesIt() throws IOException {
    assertTrue(stopCheckpointAfter(4, Duration.ofSeconds(10)), "4 s × 1.5 < 9 s left");
  }

  @Test
  void withoutADeadlineOrAMeasuredSaveTheStageCheckpointsAsBefore() throws IOException {
    WorkerDrain drain = new WorkerDrain(now::get);
    try (StageContext ctx = context(drain)) {
      drain.start(Duration.ofSeconds(1));
      assertTrue(ctx.control().checkpointFitsOnStop(), "no save measured yet: try");
    }
    WorkerDrain unbounded = new WorkerDrain(now::get);
    try (StageContext ctx = context(unbounded)) {
      ctx.control().checkpointSaved().accept(1e6);
      unbounded.start();
      assertTrue(ctx.control().checkpointFitsOnStop(), "no deadline: always");
      assertEquals(Double.POSITIVE_INFINITY, unbounded.secondsLeft());
    }
  }

  @Test
  void failuresAreToldApart() {
    assertEquals(
        AttemptOutcome.LOST,
        StageRunner.outcomeOf(new UncheckedIOException(new IOException("connection refused"))));
    assertEquals(
        AttemptOutcome.FAILED,
        StageRunner.outcomeOf(new IllegalStateException("loss is NaN at step 3")));
    assertEquals(
        AttemptOutcome.FAILED,
        StageRunner.outcomeOf(
            new UncheckedIOException(
                new com.magicdistill.engine.data.ShardIntegrityException(
                    "shard-3", "is corrupt"))));
    assertEquals(
        "loss is NaN", StageFailures.message(new RuntimeException(new Error("loss is NaN"))));
  }
}
