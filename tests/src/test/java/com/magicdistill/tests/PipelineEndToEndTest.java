package com.magicdistill.tests;

import static com.magicdistill.tests.PipelineHarness.SHARED;
import static com.magicdistill.tests.PipelineHarness.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.magicdistill.activities.RunSpecOverrides;
import com.magicdistill.db.ArtifactRow;
import com.magicdistill.db.AttemptRow;
import com.magicdistill.db.CheckpointRow;
import com.magicdistill.db.Repositories;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.io.Json;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.EvaluatedMethod;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.SampleFiles;
import com.magicdistill.workflows.StageStatus;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable pipeline end to end on the embedded stack (PostgreSQL, S3Proxy, Temporal test
 * server), with workers as separate JVMs: a run completes with every artifact and row in place; a
 * SIGKILLed worker is replaced without losing more than one checkpoint interval; a SIGTERMed worker
 * drains without losing a step; a cancel; S3 down; a corrupt newest checkpoint; a Temporal restart;
 * reuse and the stage cache.
 *
 * <p>Each fault test checks the step the engine reported resuming at against the newest checkpoint
 * written before the fault, then cancels the run: only the complete test runs every stage. The
 * fault tests reuse the complete run's teacher (except the Temporal restart test, which checks that
 * its own finished fine-tune is not run again); the cache test reruns the complete run's spec. The
 * stage cache is off except in the cache test. Each test's waits add up to less than its timeout.
 *
 * <p>The tests share one worker JVM (warm: no JVM start, data rendering or JIT warm-up per test)
 * and read only the part of its log written since they began. The SIGKILL and SIGTERM tests, which
 * end it, run last: the kill test's replacement worker is the one the drain test drains.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PipelineEndToEndTest {
  private static final int EVERY = 4;

  /**
   * DMD-LoRA iterations in the kill, drain, cancel and S3 tests: the fault comes past the first
   * checkpoint (at step {@code EVERY + 2}), then room for the stop to take effect mid-stage (a
   * heartbeat or two) and for the resumed attempt to cross checkpoints of its own.
   */
  private static final int FAULT_DMD = 3 * EVERY + 2;

  /**
   * DMD-LoRA iterations in the corrupt-checkpoint and Temporal restart tests: room for two
   * checkpoints and, after them, for a pause or a lost workflow to be noticed mid-stage.
   */
  private static final int TWO_CHECKPOINT_DMD = 3 * EVERY + 6;

  private static final String DMD = "dmd-lora";
  private static final String LOSS = "generator.loss";

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
  void stopWorkers() throws Exception {
    h.cancelInFlight();
    h.stopWorkersButTheShared();
  }

  @Test
  @Order(2)
  void aRunCompletesWithEveryArtifactInS3AndEveryRowInPostgres() throws Exception {
    RunSpec spec = complete("r-complete");
    h.sharedWorker();
    h.connections.launcher().launch(spec);
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-complete", 300), h.log(SHARED));
    Repositories repo = h.repo();
    ObjectStore s3 = h.connections.store();
    assertEquals(5, repo.stages().stages("r-complete").size());
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
        Set.of("model", "report", "samples"),
        Set.copyOf(
            repo.artifacts().artifacts("r-complete").stream().map(ArtifactRow::kind).toList()));
    assertReportRowsAndSamples(repo, s3, spec.evaluate().sampleClips());
    assertEquals(RunStatus.SUCCEEDED, repo.runs().findRun("r-complete").orElseThrow().status());
    assertTrue(repo.runs().findRun("r-complete").orElseThrow().finishedAt() != null);
    h.assertSettled("r-complete");
  }

  /**
   * The report compares the four methods on the same frames and seeds, and each method's sample
   * clips (and the first frames, the contact sheet) are in S3 and recorded as samples artifacts.
   */
  private static void assertReportRowsAndSamples(Repositories repo, ObjectStore s3, int clips)
      throws Exception {
    JsonNode methods =
        Json.MAPPER.readTree(s3.get("runs/r-complete/evaluate/report.json")).get("methods");
    Map<String, Integer> calls = new LinkedHashMap<>();
    for (EvaluatedMethod m : EvaluatedMethod.values()) {
      calls.put(m.key(), methods.get(m.key()).get("model_calls").asInt());
      assertTrue(methods.get(m.key()).get("fd_clip").isNumber(), m.key());
      assertTrue(methods.get(m.key()).get("motion_ratio").isNumber(), m.key());
    }
    assertEquals(
        Map.of("exported_w2s4", 4, "dmd_lora4", 4, "teacher_euler4", 4, "teacher_euler28", 28),
        calls);
    SampleFiles files = new SampleFiles("runs/r-complete/evaluate/samples");
    Set<String> keys = new HashSet<>(Set.of(files.contactSheet()));
    for (int i = 0; i < clips; i++) {
      keys.add(files.firstFrame(i));
      for (EvaluatedMethod m : EvaluatedMethod.values()) {
        keys.add(files.mp4(m, i));
        keys.add(files.gif(m, i));
      }
    }
    for (String k : keys) {
      assertTrue(s3.exists(k), k);
    }
    assertEquals(
        keys,
        Set.copyOf(
            repo.artifacts().artifacts("r-complete").stream()
                .filter(a -> a.kind().equals("samples"))
                .map(ArtifactRow::objectKey)
                .toList()));
  }

  @Test
  @Order(8)
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aKilledWorkerIsReplacedAndAtMostOneCheckpointIntervalIsLost() throws Exception {
    Process first = h.sharedWorker(); // the only worker: it is the one killed
    h.connections.launcher().launch(faulted("r-kill"));
    waitFor(
        "DMD-LoRA past its first checkpoint",
        240,
        () ->
            h.checkpointStep("r-kill", DMD) >= EVERY
                && h.metricStep("r-kill", DMD, LOSS) > EVERY + 1);
    first.destroyForcibly().waitFor(); // SIGKILL
    long reached = h.metricStep("r-kill", DMD, LOSS);
    // Read once the worker is gone: nothing newer can be recorded.
    CheckpointRow atKill = h.newestGeneratorCheckpoint("r-kill", DMD);
    h.sharedWorker(); // a new JVM (the drain test's first worker)
    h.awaitStage("r-kill", DMD, StageStatus.SUCCEEDED, 150);
    h.cancelAndAwait("r-kill", 60);
    List<AttemptRow> attempts = h.repo().stages().attempts("r-kill", DMD);
    assertTrue(attempts.size() >= 2, "a second attempt took over: " + attempts);
    AttemptRow lost = attempts.get(0);
    AttemptRow resumed = attempts.get(attempts.size() - 1);
    assertEquals(AttemptOutcome.LOST, lost.outcome(), attempts.toString());
    assertEquals(AttemptOutcome.SUCCEEDED, resumed.outcome());
    assertNotEquals(lost.worker(), resumed.worker(), "another worker resumed the stage");
    assertResumedFrom(atKill, reached, resumed);
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
    h.assertSettled("r-kill");
  }

  @Test
  @Order(9)
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aDrainedWorkerCheckpointsWhereItStopsAndTheNextOneLosesNoStep() throws Exception {
    Process first = h.sharedWorker(); // the only worker: it is the one drained
    h.connections.launcher().launch(faulted("r-drain"));
    waitFor(
        "DMD-LoRA past its first checkpoint",
        240,
        () ->
            h.checkpointStep("r-drain", DMD) >= EVERY
                && h.metricStep("r-drain", DMD, LOSS) > EVERY + 1);
    first.destroy(); // SIGTERM: the worker drains
    assertTrue(first.waitFor(90, TimeUnit.SECONDS), "the draining worker exited");
    AttemptRow drained = h.lastAttempt("r-drain", DMD);
    assertEquals(
        AttemptOutcome.DRAINED, drained.outcome(), "a drained attempt hands over: " + drained);
    long stoppedAt = drained.endStep();
    CheckpointRow atDrain = h.newestGeneratorCheckpoint("r-drain", DMD);
    assertEquals(stoppedAt, atDrain.step(), "it checkpointed the step it stopped at");
    assertEquals(stoppedAt, h.metricStep("r-drain", DMD, LOSS), "no step past the checkpoint");
    assertTrue(stoppedAt < FAULT_DMD, "stopped mid-stage at " + stoppedAt);
    h.startWorker("w-drain-2");
    h.awaitStage("r-drain", DMD, StageStatus.SUCCEEDED, 150);
    h.cancelAndAwait("r-drain", 60);
    AttemptRow resumed = h.lastAttempt("r-drain", DMD);
    assertEquals(AttemptOutcome.SUCCEEDED, resumed.outcome());
    assertNotEquals(drained.worker(), resumed.worker());
    assertEquals(stoppedAt, resumed.startStep(), "resumed exactly at the drain step: 0 steps lost");
    assertEquals(atDrain.objectKey(), resumed.resumedFrom());
    assertEquals(stoppedAt + 1, h.firstMetricStepOf(resumed, LOSS));
    h.assertSettled("r-drain");
  }

  @Test
  @Order(4)
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aCancelledRunStopsItsStageAtACheckpointAndEndsEveryRow() throws Exception {
    h.sharedWorker();
    long log = h.logMark(SHARED);
    h.connections.launcher().launch(faulted("r-cancel"));
    waitFor(
        "DMD-LoRA past its first checkpoint",
        240,
        () ->
            h.checkpointStep("r-cancel", DMD) >= EVERY
                && h.metricStep("r-cancel", DMD, LOSS) > EVERY + 1);
    h.connections.pipeline().cancel("r-cancel", "test: cancel mid-DMD");
    assertEquals(RunStatus.CANCELLED, h.awaitEnd("r-cancel", 90), h.logSince(SHARED, log));
    assertEquals(StageStatus.REUSED, h.stageStatus("r-cancel", "fine-tune"));
    assertEquals(StageStatus.CANCELLED, h.stageStatus("r-cancel", DMD));
    for (String later : List.of("w2s", "export", "evaluate")) {
      assertEquals(StageStatus.PENDING, h.stageStatus("r-cancel", later), later);
      assertTrue(h.repo().stages().attempts("r-cancel", later).isEmpty(), later);
    }
    AttemptRow stopped = h.lastAttempt("r-cancel", DMD);
    // The workflow's stop is recorded as PAUSED today (StageRunner cannot tell pause from cancel).
    assertTrue(
        Set.of(AttemptOutcome.PAUSED, AttemptOutcome.CANCELLED).contains(stopped.outcome()),
        stopped.toString());
    assertTrue(stopped.endStep() < FAULT_DMD, "stopped mid-stage: " + stopped);
    assertEquals(
        stopped.endStep(),
        h.newestGeneratorCheckpoint("r-cancel", DMD).step(),
        "it checkpointed the step it stopped at");
    assertTrue(h.logSince(SHARED, log).contains("stop requested by the workflow"));
    h.assertSettled("r-cancel");
  }

  @Test
  @Order(5)
  @Timeout(value = 11, unit = TimeUnit.MINUTES)
  void theRunSurvivesTheS3ServerStopping() throws Exception {
    h.sharedWorker();
    h.connections.launcher().launch(faulted("r-s3"));
    waitFor(
        "DMD-LoRA checkpointing",
        240,
        () ->
            h.checkpointStep("r-s3", DMD) >= EVERY && h.metricStep("r-s3", DMD, LOSS) > EVERY + 1);
    h.stack.s3().stop();
    waitFor(
        "an attempt to be lost while S3 is down",
        120,
        () ->
            h.repo().stages().attempts("r-s3", DMD).stream()
                .anyMatch(a -> AttemptOutcome.LOST == a.outcome()));
    long reached = h.metricStep("r-s3", DMD, LOSS);
    CheckpointRow beforeOutage = h.newestGeneratorCheckpoint("r-s3", DMD);
    h.stack.s3().restart();
    h.awaitStage("r-s3", DMD, StageStatus.SUCCEEDED, 180);
    h.cancelAndAwait("r-s3", 60);
    List<AttemptRow> attempts = h.repo().stages().attempts("r-s3", DMD);
    // An unreachable store is a preemption (LOST), not a code or data error (FAILED).
    assertTrue(
        attempts.stream().anyMatch(a -> a.outcome() == AttemptOutcome.LOST),
        "an attempt was lost while S3 was down: " + attempts);
    AttemptRow resumed = attempts.get(attempts.size() - 1);
    assertEquals(AttemptOutcome.SUCCEEDED, resumed.outcome());
    assertTrue(resumed.startStep() > 0, "resumed from a checkpoint, not from scratch: " + attempts);
    assertResumedFrom(beforeOutage, reached, resumed);
    h.assertSettled("r-s3");
  }

  @Test
  @Order(6)
  @Timeout(value = 11, unit = TimeUnit.MINUTES)
  void aCorruptNewestCheckpointIsDetectedAndThePreviousOneUsed() throws Exception {
    h.sharedWorker();
    long log = h.logMark(SHARED);
    h.connections.launcher().launch(faulted("r-corrupt", TWO_CHECKPOINT_DMD));
    waitFor(
        "DMD-LoRA past its second checkpoint",
        240,
        () -> h.checkpointStep("r-corrupt", DMD) >= 2 * EVERY);
    h.connections.pipeline().pause("r-corrupt");
    waitFor("the run to pause", 120, () -> h.status("r-corrupt") == RunStatus.PAUSED);
    List<CheckpointRow> live =
        h.repo().checkpoints().checkpoints("r-corrupt", DMD).stream()
            .filter(c -> c.deletedAt() == null && c.objectKey().contains("/generator/"))
            .toList();
    assertTrue(live.size() >= 2, live.toString());
    var newest = live.get(live.size() - 1);
    var previous = live.get(live.size() - 2);
    h.connections.store().put(newest.objectKey() + "/tensors.safetensors", new byte[] {1, 2, 3});
    h.connections.pipeline().resume("r-corrupt");
    h.awaitStage("r-corrupt", DMD, StageStatus.SUCCEEDED, 180);
    h.cancelAndAwait("r-corrupt", 60);
    var after = h.lastAttempt("r-corrupt", DMD);
    assertTrue(
        after.startStep() < newest.step(),
        "resumed at "
            + after.startStep()
            + ", before the corrupt checkpoint of step "
            + newest.step());
    assertTrue(after.startStep() > 0);
    assertNotEquals(newest.objectKey(), after.resumedFrom());
    assertEquals(previous.step(), after.startStep(), "fell back to the previous pair");
    assertEquals(previous.objectKey(), after.resumedFrom());
    assertEquals(after.startStep() + 1, h.firstMetricStepOf(after, LOSS));
    assertTrue(h.logSince(SHARED, log).contains("skipping checkpoint pair"), "the skip was logged");
    h.assertSettled("r-corrupt");
  }

  @Test
  @Order(7)
  @Timeout(value = 9, unit = TimeUnit.MINUTES)
  void anEmbeddedTemporalRestartMidRunIsRecovered() throws Exception {
    h.sharedWorker();
    long log = h.logMark(SHARED);
    // Its own fine-tune, short: only its attempts matter here (none may be added by the restart).
    h.connections
        .launcher()
        .launch(
            RunSpecOverrides.apply(
                PipelineHarness.spec("r-restart", TWO_CHECKPOINT_DMD),
                Map.of("fineTune.baseSteps", EVERY, "fineTune.steps", EVERY)));
    waitFor("DMD-LoRA checkpointing", 240, () -> h.checkpointStep("r-restart", DMD) >= 2 * EVERY);
    // Fine-tune ran in this run (the cache is off), so "not run again" compares a real count.
    List<AttemptRow> fineTune = h.repo().stages().attempts("r-restart", "fine-tune");
    assertEquals(StageStatus.SUCCEEDED, h.stageStatus("r-restart", "fine-tune"));
    assertFalse(fineTune.isEmpty(), "fine-tune was not cached");
    assertEquals(
        AttemptOutcome.SUCCEEDED, fineTune.get(fineTune.size() - 1).outcome(), fineTune.toString());
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
    waitFor(
        "the re-submitted run to resume DMD-LoRA",
        180,
        () -> {
          var a = h.repo().stages().attempts("r-restart", DMD);
          return a.size() >= 2 && AttemptOutcome.SUCCEEDED == a.get(a.size() - 1).outcome();
        });
    h.cancelAndAwait("r-restart", 60);
    assertEquals(
        fineTune,
        h.repo().stages().attempts("r-restart", "fine-tune"),
        "the finished fine-tune stage was not run again");
    assertEquals(StageStatus.SUCCEEDED, h.stageStatus("r-restart", "fine-tune"));
    var attempts = h.repo().stages().attempts("r-restart", DMD);
    assertTrue(attempts.size() >= 2, attempts.toString());
    var resumed = attempts.get(attempts.size() - 1);
    assertTrue(
        resumed.startStep() >= 2 * EVERY,
        "the re-submitted run resumed DMD-LoRA from its checkpoint: " + attempts);
    // Its checkpoint is the newest one its predecessors wrote (the old attempt checkpoints where it
    // learns that its workflow is gone).
    var written =
        h.repo().checkpoints().checkpoints("r-restart", DMD).stream()
            .filter(c -> c.objectKey().contains("/generator/") && c.attemptId() != resumed.id())
            .reduce((a, b) -> b)
            .orElseThrow();
    assertEquals(written.step(), resumed.startStep(), attempts.toString());
    assertEquals(written.objectKey(), resumed.resumedFrom());
    assertEquals(resumed.startStep() + 1, h.firstMetricStepOf(resumed, LOSS));
    assertTrue(h.logSince(SHARED, log).contains("re-submitted"));
    h.assertSettled("r-restart");
  }

  /**
   * The attempt resumed where the engine says, from the newest checkpoint recorded before the fault
   * ({@code before}), or from one the fault cut off before it was recorded (never from an older one
   * or from scratch); its first step is the one after.
   */
  private void assertResumedFrom(CheckpointRow before, long reached, AttemptRow resumed) {
    String what = "resumed " + resumed + "; newest checkpoint before the fault " + before;
    assertTrue(resumed.startStep() >= before.step(), what);
    assertTrue(resumed.startStep() <= reached, what);
    if (resumed.startStep() == before.step()) {
      assertEquals(before.objectKey(), resumed.resumedFrom(), what);
    } else {
      assertTrue(
          resumed.resumedFrom().endsWith(String.format("/step-%08d", resumed.startStep())), what);
    }
    assertEquals(resumed.startStep() + 1, h.firstMetricStepOf(resumed, LOSS), what);
  }

  @Test
  @Order(3)
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aRerunReusesAnEarlierRunsStagesAndTheCacheSkipsIdenticalOnes() throws Exception {
    h.sharedWorker();
    // The rerun's evaluate is sized down (its report is the complete test's business).
    RunSpec rerun =
        RunSpecOverrides.apply(
                complete("r-rerun"),
                Map.of(
                    "distill.alphaWeak", 0.5,
                    "evaluate.heldOutClips", 2,
                    "evaluate.sampleClips", 1))
            .withCache(true)
            .withReuse(completed(), PipelineStage.W2S);
    h.connections.launcher().launch(rerun);
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-rerun", 180), h.log(SHARED));
    assertEquals(StageStatus.REUSED, h.stage("r-rerun", "fine-tune").orElseThrow().status());
    assertEquals(StageStatus.REUSED, h.stage("r-rerun", "dmd-lora").orElseThrow().status());
    assertEquals(StageStatus.SUCCEEDED, h.stage("r-rerun", "w2s").orElseThrow().status());
    assertTrue(h.repo().stages().attempts("r-rerun", "dmd-lora").isEmpty());
    assertFalse(h.repo().stages().attempts("r-rerun", "w2s").isEmpty(), "w2s ran in r-rerun");
    assertTrue(
        h.stage("r-rerun", "dmd-lora").orElseThrow().outputsJson().contains("runs/r-complete/"));

    // An identical spec: every stage comes from the entries the complete run recorded (cache off
    // means it read none, not that it wrote none).
    h.connections.launcher().launch(complete("r-same").withCache(true));
    assertEquals(RunStatus.SUCCEEDED, h.awaitEnd("r-same", 180), h.log(SHARED));
    assertEquals(5, h.repo().stages().stages("r-same").size());
    for (var s : h.repo().stages().stages("r-same")) {
      assertEquals(StageStatus.CACHED, s.status(), s.stage());
      assertTrue(h.repo().stages().attempts("r-same", s.stage()).isEmpty());
      assertTrue(s.outputsJson().contains("runs/r-complete/"), s.outputsJson());
    }
  }

  /** The complete run's spec (cache off, like every test's but the cache test's). */
  private static RunSpec complete(String runId) {
    return RunSpecOverrides.apply(PipelineHarness.spec(runId, 6), Map.of("fineTune.steps", 18));
  }

  /** The complete run, which later tests reuse (its teacher, its cache entries). */
  private String completed() {
    assertEquals(
        RunStatus.SUCCEEDED,
        h.status("r-complete"),
        "this test reuses the complete run's stages: see aRunCompletes... above");
    return "r-complete";
  }

  /**
   * A fault test's spec: the complete run's teacher reused (fine-tune is that test's business; the
   * Temporal restart test trains its own), DMD-LoRA long enough for three checkpoints.
   */
  private RunSpec faulted(String runId) {
    return faulted(runId, FAULT_DMD);
  }

  private RunSpec faulted(String runId, int dmdIterations) {
    return PipelineHarness.spec(runId, dmdIterations)
        .withReuse(completed(), PipelineStage.DMD_LORA);
  }

  @Test
  @Order(1)
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
