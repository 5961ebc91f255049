package com.magicdistill.tests;

import static com.magicdistill.tests.PipelineHarness.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.activities.RunSpecOverrides;
import com.magicdistill.db.ArtifactRow;
import com.magicdistill.db.AttemptRow;
import com.magicdistill.db.Repositories;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.StageStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable pipeline end to end on the embedded stack (PostgreSQL, S3Proxy, Temporal test
 * server), with workers as separate JVMs: a run completes with every artifact and row in place; a
 * SIGKILLed worker is replaced without losing more than one checkpoint interval; S3 down for 20 s;
 * a corrupt newest checkpoint; a Temporal restart; reuse and the stage cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class PipelineEndToEndTest {
  private static final int EVERY = 4;

  @TempDir static Path home;
  private PipelineHarness h;

  @BeforeAll
  void start() throws Exception {
    h = new PipelineHarness(home);
  }

  @AfterAll
  void stop() {
    h.close();
  }

  @AfterEach
  void stopWorkers() {
    h.stopWorkers();
  }

  @Test
  void aRunCompletesWithEveryArtifactInS3AndEveryRowInPostgres() throws Exception {
    RunSpec spec =
        RunSpecOverrides.apply(PipelineHarness.spec("r-complete", 6), Map.of("fineTune.steps", 18));
    h.startWorker("w-complete");
    h.connections.launcher().launch(spec);
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-complete", 300), h.log("w-complete"));
    Repositories repo = h.repo();
    ObjectStore s3 = h.connections.store();
    for (var stage : repo.stages().stages("r-complete")) {
      assertEquals(StageStatus.SUCCEEDED, stage.status(), stage.stage());
      assertTrue(stage.outputsJson().contains("runs/r-complete/"), stage.outputsJson());
      List<AttemptRow> attempts = repo.stages().attempts("r-complete", stage.stage());
      assertEquals(1, attempts.size(), stage.stage());
      assertEquals(AttemptOutcome.SUCCEEDED, attempts.get(0).outcome());
    }
    for (String stage : List.of("fine-tune", "dmd-lora", "w2s")) {
      var live =
          repo.checkpoints().checkpoints("r-complete", stage).stream()
              .filter(c -> c.deletedAt() == null)
              .toList();
      assertFalse(live.isEmpty(), stage + " recorded checkpoints");
      for (var c : live) {
        assertTrue(s3.exists(c.objectKey() + "/checkpoint.json"), c.objectKey());
        assertTrue(s3.exists(c.objectKey() + "/tensors.safetensors"), c.objectKey());
      }
      for (var c : repo.checkpoints().checkpoints("r-complete", stage)) {
        if (c.deletedAt() != null) {
          assertFalse(
              s3.exists(c.objectKey() + "/checkpoint.json"), "retention deleted " + c.objectKey());
        }
      }
    }
    assertTrue(
        repo.checkpoints().checkpoints("r-complete", "fine-tune").stream()
            .anyMatch(c -> c.deletedAt() != null),
        "retention (keep last 3, best 1) deleted old fine-tune checkpoints");
    assertFalse(repo.metrics().metrics("r-complete", "fine-tune", "teacher.loss").isEmpty());
    assertEquals(6, repo.metrics().metrics("r-complete", "dmd-lora", "generator.loss").size());
    assertFalse(repo.metrics().metrics("r-complete", "evaluate", "exported.fd_clip").isEmpty());
    String model = "runs/r-complete/export/w2s4";
    for (String f : ModelPackage.FILES) {
      assertTrue(s3.exists(model + "/" + f), f);
    }
    assertTrue(s3.exists(model + "/" + ModelPackage.SUMS));
    assertTrue(s3.exists("runs/r-complete/evaluate/report.json"));
    assertTrue(s3.exists("runs/r-complete/fine-tune/data/manifest.json"));
    assertEquals(1, repo.artifacts().exportedModels("r-complete").size());
    assertEquals(model, repo.artifacts().exportedModels("r-complete").get(0).objectPrefix());
    assertEquals(
        Set.of("model", "report"),
        Set.copyOf(
            repo.artifacts().artifacts("r-complete").stream().map(ArtifactRow::kind).toList()));
    assertEquals(RunStatus.SUCCEEDED, repo.runs().findRun("r-complete").orElseThrow().status());
    assertTrue(repo.runs().findRun("r-complete").orElseThrow().finishedAt() != null);
  }

  @Test
  void aKilledWorkerIsReplacedAndAtMostOneCheckpointIntervalIsLost() throws Exception {
    RunSpec spec = PipelineHarness.spec("r-kill", 48);
    Process first = h.startWorker("w-kill-1");
    h.connections.launcher().launch(spec);
    waitFor(
        "DMD-LoRA past its third checkpoint",
        240,
        () ->
            h.checkpointStep("r-kill", "dmd-lora") >= 3 * EVERY
                && h.metricStep("r-kill", "dmd-lora", "generator.loss") > 3 * EVERY + 1);
    first.destroyForcibly().waitFor(); // SIGKILL
    long reached = h.metricStep("r-kill", "dmd-lora", "generator.loss");
    h.startWorker("w-kill-2");
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-kill", 300), h.log("w-kill-2"));
    List<AttemptRow> attempts = h.repo().stages().attempts("r-kill", "dmd-lora");
    assertTrue(attempts.size() >= 2, "a second attempt took over: " + attempts);
    AttemptRow lost = attempts.get(0);
    AttemptRow resumed = attempts.get(attempts.size() - 1);
    assertEquals(AttemptOutcome.LOST, lost.outcome(), attempts.toString());
    assertEquals(AttemptOutcome.SUCCEEDED, resumed.outcome());
    assertNotEquals(lost.worker(), resumed.worker(), "another worker resumed the stage");
    assertTrue(resumed.startStep() > 0, "resumed from a checkpoint, not from scratch");
    long stepsLost = reached - resumed.startStep();
    assertTrue(
        stepsLost <= EVERY,
        "lost "
            + stepsLost
            + " steps (reached "
            + reached
            + ", resumed at "
            + resumed.startStep()
            + "); at most one checkpoint interval ("
            + EVERY
            + ") may be lost");
    assertEquals(RunStatus.SUCCEEDED, h.status("r-kill"));
  }

  @Test
  void theRunSurvivesTheS3ServerStoppingFor20Seconds() throws Exception {
    h.startWorker("w-s3");
    h.connections.launcher().launch(PipelineHarness.spec("r-s3", 44));
    waitFor("DMD-LoRA checkpointing", 240, () -> h.checkpointStep("r-s3", "dmd-lora") >= EVERY);
    h.stack.s3().stop();
    Thread.sleep(20_000);
    h.stack.s3().restart();
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-s3", 300), h.log("w-s3"));
    List<AttemptRow> attempts = h.repo().stages().attempts("r-s3", "dmd-lora");
    // An unreachable store is a preemption (LOST), not a code or data error (FAILED).
    assertTrue(
        attempts.stream().anyMatch(a -> a.outcome() == AttemptOutcome.LOST),
        "an attempt was lost while S3 was down: " + attempts);
    assertEquals(AttemptOutcome.SUCCEEDED, attempts.get(attempts.size() - 1).outcome());
  }

  @Test
  void aCorruptNewestCheckpointIsDetectedAndThePreviousOneUsed() throws Exception {
    h.startWorker("w-corrupt");
    h.connections.launcher().launch(PipelineHarness.spec("r-corrupt", 40));
    waitFor(
        "DMD-LoRA past its third checkpoint",
        240,
        () -> h.checkpointStep("r-corrupt", "dmd-lora") >= 3 * EVERY);
    h.connections.pipeline().pause("r-corrupt");
    waitFor("the run to pause", 120, () -> h.status("r-corrupt") == RunStatus.PAUSED);
    var newest =
        h.repo().checkpoints().checkpoints("r-corrupt", "dmd-lora").stream()
            .filter(c -> c.deletedAt() == null && c.objectKey().contains("/generator/"))
            .reduce((a, b) -> b)
            .orElseThrow();
    h.connections.store().put(newest.objectKey() + "/tensors.safetensors", new byte[] {1, 2, 3});
    h.connections.pipeline().resume("r-corrupt");
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-corrupt", 300), h.log("w-corrupt"));
    var attempts = h.repo().stages().attempts("r-corrupt", "dmd-lora");
    var after = attempts.get(attempts.size() - 1);
    assertTrue(
        after.startStep() < newest.step(),
        "resumed at "
            + after.startStep()
            + ", before the corrupt checkpoint of step "
            + newest.step());
    assertTrue(after.startStep() > 0);
    assertNotEquals(newest.objectKey(), after.resumedFrom());
    assertTrue(h.log("w-corrupt").contains("skipping checkpoint pair"), "the skip was logged");
  }

  @Test
  void anEmbeddedTemporalRestartMidRunIsRecovered() throws Exception {
    h.startWorker("w-restart");
    h.connections.launcher().launch(PipelineHarness.spec("r-restart", 42));
    waitFor(
        "DMD-LoRA checkpointing",
        240,
        () -> h.checkpointStep("r-restart", "dmd-lora") >= 2 * EVERY);
    int fineTuneAttempts = h.repo().stages().attempts("r-restart", "fine-tune").size();
    h.stack.temporal().restart(); // every workflow is forgotten
    // The restarted server forgot the run; the worker's reconciler re-submits it (asserted from
    // its log below). The first calls after the restart may fail while gRPC reconnects.
    waitFor(
        "the restarted server to answer",
        30,
        () -> {
          try {
            h.connections.pipeline().isKnown("r-restart");
            return true;
          } catch (io.grpc.StatusRuntimeException e) {
            return false;
          }
        });
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-restart", 300), h.log("w-restart"));
    assertEquals(
        fineTuneAttempts,
        h.repo().stages().attempts("r-restart", "fine-tune").size(),
        "the finished fine-tune stage was not run again");
    var attempts = h.repo().stages().attempts("r-restart", "dmd-lora");
    assertTrue(attempts.size() >= 2, attempts.toString());
    assertTrue(
        attempts.get(attempts.size() - 1).startStep() >= 2 * EVERY,
        "the re-submitted run resumed DMD-LoRA from its checkpoint: " + attempts);
    assertTrue(h.log("w-restart").contains("re-submitted"));
  }

  @Test
  void aRerunReusesAnEarlierRunsStagesAndTheCacheSkipsIdenticalOnes() throws Exception {
    h.startWorker("w-reuse");
    RunSpec first = PipelineHarness.spec("r-first", 5);
    h.connections.launcher().launch(first);
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-first", 300), h.log("w-reuse"));

    RunSpec rerun =
        RunSpecOverrides.apply(PipelineHarness.spec("r-rerun", 5), Map.of("distill.alphaWeak", 0.5))
            .withReuse("r-first", PipelineStage.W2S);
    h.connections.launcher().launch(rerun);
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-rerun", 300), h.log("w-reuse"));
    assertEquals(StageStatus.REUSED, h.stage("r-rerun", "fine-tune").orElseThrow().status());
    assertEquals(StageStatus.REUSED, h.stage("r-rerun", "dmd-lora").orElseThrow().status());
    assertEquals(StageStatus.SUCCEEDED, h.stage("r-rerun", "w2s").orElseThrow().status());
    assertTrue(h.repo().stages().attempts("r-rerun", "dmd-lora").isEmpty());
    assertTrue(
        h.stage("r-rerun", "dmd-lora").orElseThrow().outputsJson().contains("runs/r-first/"));

    h.connections.launcher().launch(PipelineHarness.spec("r-same", 5));
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-same", 300), h.log("w-reuse"));
    for (var s : h.repo().stages().stages("r-same")) {
      assertEquals(StageStatus.CACHED, s.status(), s.stage());
      assertTrue(h.repo().stages().attempts("r-same", s.stage()).isEmpty());
    }
  }

  @Test
  void anInvalidSpecIsRejectedNamingTheFieldAndNothingIsStored() {
    RunSpec bad =
        RunSpecOverrides.apply(
            PipelineHarness.spec("r-invalid", 5), Map.of("distill.alphaWeak", 3.0));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> h.connections.launcher().launch(bad));
    assertTrue(e.getMessage().contains("distill.alphaWeak is invalid"), e.getMessage());
    assertTrue(h.repo().runs().findRun("r-invalid").isEmpty());
    assertFalse(h.connections.pipeline().isKnown("r-invalid"));
  }
}
