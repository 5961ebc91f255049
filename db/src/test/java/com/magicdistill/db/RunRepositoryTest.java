package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.db.RunRepository.ArtifactRow;
import com.magicdistill.db.RunRepository.AttemptRow;
import com.magicdistill.db.RunRepository.CheckpointRow;
import com.magicdistill.db.RunRepository.ExportedModelRow;
import com.magicdistill.db.RunRepository.MetricPoint;
import com.magicdistill.db.RunRepository.RunRow;
import com.magicdistill.db.RunRepository.StageRow;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@link RunRepository} method against a real PostgreSQL; each test uses its own run ids. */
class RunRepositoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SPEC = "{\"name\":\"demo\",\"preset\":\"tiny\",\"stages\":[1,2]}";

  @TempDir static Path dataDir;
  private static TestDatabase db;
  private static HikariDataSource pool;
  private static RunRepository repo;

  @BeforeAll
  static void start() {
    db = TestDatabase.start(dataDir);
    pool = Database.connect(db.settings());
    Database.migrate(pool);
    repo = new RunRepository(pool);
  }

  @AfterAll
  static void stop() {
    pool.close();
    db.close();
  }

  private static RunRow run(String id, Instant createdAt) {
    return new RunRow(
        id,
        "demo " + id,
        SPEC,
        "sha-" + id,
        "tiny",
        null,
        "wf-" + id,
        "git-1234",
        null,
        null,
        createdAt,
        null,
        null,
        null);
  }

  private static void assertSameJson(String expected, String actual) throws Exception {
    assertEquals(JSON.readTree(expected), JSON.readTree(actual));
  }

  // ---------------------------------------------------------------- runs

  @Test
  void createdRunRoundTripsAsQueued() throws Exception {
    repo.createRun(run("r-create", null));
    RunRow row = repo.findRun("r-create").orElseThrow();
    assertEquals("r-create", row.id());
    assertEquals("demo r-create", row.name());
    assertSameJson(SPEC, row.specJson());
    assertEquals("sha-r-create", row.specSha256());
    assertEquals("tiny", row.preset());
    assertEquals("QUEUED", row.status());
    assertEquals("wf-r-create", row.workflowId());
    assertEquals("git-1234", row.codeVersion());
    assertNotNull(row.createdAt());
    assertNull(row.startedAt());
    assertNull(row.finishedAt());
    assertNull(row.error());
    assertTrue(repo.findRun("r-missing").isEmpty());
  }

  @Test
  void reusedRunPointsAtItsSource() {
    repo.createRun(run("r-source", null));
    RunRow reuse =
        new RunRow(
            "r-reuse",
            "reuse",
            SPEC,
            "s",
            "tiny",
            null,
            null,
            null,
            "r-source",
            "w2s",
            null,
            null,
            null,
            null);
    repo.createRun(reuse);
    RunRow row = repo.findRun("r-reuse").orElseThrow();
    assertEquals("r-source", row.reusedFromRun());
    assertEquals("w2s", row.reuseFromStage());

    var e =
        assertThrows(
            RepositoryException.class,
            () ->
                repo.createRun(
                    new RunRow(
                        "r-reuse-bad",
                        "x",
                        SPEC,
                        "s",
                        null,
                        null,
                        null,
                        null,
                        "r-nope",
                        "w2s",
                        null,
                        null,
                        null,
                        null)));
    assertTrue(e.getMessage().contains("r-nope"), e.getMessage());
  }

  @Test
  void duplicateRunIdFailsClearly() {
    repo.createRun(run("r-dup", null));
    var e = assertThrows(RepositoryException.class, () -> repo.createRun(run("r-dup", null)));
    assertTrue(e.getMessage().contains("createRun") && e.getMessage().contains("r-dup"));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void listRunsIsNewestFirst() {
    Instant future = Instant.parse("2100-01-01T00:00:00Z");
    repo.createRun(run("r-list-1", future));
    repo.createRun(run("r-list-3", future.plusSeconds(20)));
    repo.createRun(run("r-list-2", future.plusSeconds(10)));
    List<RunRow> newest = repo.listRuns(3);
    assertEquals(
        List.of("r-list-3", "r-list-2", "r-list-1"), newest.stream().map(RunRow::id).toList());
    assertEquals(future.plusSeconds(20), newest.get(0).createdAt());
    assertEquals(1, repo.listRuns(1).size());
  }

  @Test
  void inFlightRunsAreQueuedRunningOrPaused() {
    for (String status :
        List.of("QUEUED", "RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "CANCELLED")) {
      String id = "r-flight-" + status;
      repo.createRun(run(id, null));
      repo.updateRunStatus(id, status, null);
    }
    Set<String> inFlight =
        repo.inFlightRuns().stream()
            .map(RunRow::id)
            .filter(id -> id.startsWith("r-flight-"))
            .collect(Collectors.toSet());
    assertEquals(Set.of("r-flight-QUEUED", "r-flight-RUNNING", "r-flight-PAUSED"), inFlight);
  }

  @Test
  void statusTransitionsSetTimestamps() {
    repo.createRun(run("r-status", null));
    repo.updateRunStatus("r-status", "RUNNING", null);
    RunRow running = repo.findRun("r-status").orElseThrow();
    assertNotNull(running.startedAt());
    assertNull(running.finishedAt());

    repo.updateRunStatus("r-status", "PAUSED", null);
    repo.updateRunStatus("r-status", "RUNNING", null);
    RunRow again = repo.findRun("r-status").orElseThrow();
    assertEquals(running.startedAt(), again.startedAt(), "started_at is the first RUNNING");

    repo.updateRunStatus("r-status", "FAILED", "stage w2s: out of memory");
    RunRow failed = repo.findRun("r-status").orElseThrow();
    assertEquals("FAILED", failed.status());
    assertEquals("stage w2s: out of memory", failed.error());
    assertNotNull(failed.finishedAt());
    assertFalse(failed.finishedAt().isBefore(failed.startedAt()));

    repo.updateRunStatus("r-status", "RUNNING", null);
    RunRow resumed = repo.findRun("r-status").orElseThrow();
    assertNull(resumed.finishedAt(), "a resumed run is not finished");
    assertNull(resumed.error());

    repo.updateRunStatus("r-status", "SUCCEEDED", null);
    assertNotNull(repo.findRun("r-status").orElseThrow().finishedAt());
  }

  @Test
  void badStatusOrUnknownRunFailsClearly() {
    var bad =
        assertThrows(
            IllegalArgumentException.class, () -> repo.updateRunStatus("r-x", "DONE", null));
    assertTrue(bad.getMessage().contains("DONE") && bad.getMessage().contains("SUCCEEDED"));
    var missing =
        assertThrows(
            RepositoryException.class, () -> repo.updateRunStatus("r-unknown", "RUNNING", null));
    assertTrue(missing.getMessage().contains("r-unknown"), missing.getMessage());
  }

  // ---------------------------------------------------------------- stages

  @Test
  void stagesRoundTripByOrdinal() throws Exception {
    repo.createRun(run("r-stages", null));
    List<String> slugs = List.of("fine-tune", "dmd-lora", "w2s", "export", "evaluate");
    for (int i = slugs.size() - 1; i >= 0; i--) {
      repo.upsertStage("r-stages", slugs.get(i), i, "PENDING");
    }
    repo.upsertStage("r-stages", "fine-tune", 0, "REUSED");
    repo.startStage("r-stages", "dmd-lora", "cache-abc", 400);
    repo.finishStage("r-stages", "dmd-lora", "SUCCEEDED", "{\"lora\":\"runs/r/dmd-lora.st\"}");
    repo.startStage("r-stages", "w2s", "cache-def", 200);

    List<StageRow> stages = repo.stages("r-stages");
    assertEquals(slugs, stages.stream().map(StageRow::stage).toList());
    assertEquals(List.of(0, 1, 2, 3, 4), stages.stream().map(StageRow::ordinal).toList());

    assertEquals("REUSED", stages.get(0).status());
    StageRow dmd = stages.get(1);
    assertEquals("SUCCEEDED", dmd.status());
    assertEquals("cache-abc", dmd.cacheKey());
    assertEquals(400L, dmd.totalSteps());
    assertSameJson("{\"lora\":\"runs/r/dmd-lora.st\"}", dmd.outputsJson());
    assertNotNull(dmd.startedAt());
    assertNotNull(dmd.finishedAt());
    StageRow w2s = stages.get(2);
    assertEquals("RUNNING", w2s.status());
    assertNotNull(w2s.startedAt());
    assertNull(w2s.finishedAt());
    assertNull(w2s.outputsJson());
    assertNull(stages.get(3).totalSteps());
  }

  @Test
  void startingAMissingStageFailsClearly() {
    repo.createRun(run("r-nostage", null));
    var e =
        assertThrows(RepositoryException.class, () -> repo.startStage("r-nostage", "w2s", "k", 10));
    assertTrue(
        e.getMessage().contains("r-nostage")
            && e.getMessage().contains("w2s")
            && e.getMessage().contains("upsertStage"),
        e.getMessage());
  }

  // ---------------------------------------------------------------- attempts

  @Test
  void laterAttemptFencesOutTheEarlierOne() {
    repo.createRun(run("r-fence", null));
    long first = repo.startAttempt("r-fence", "w2s", 1, "worker-a", 0, null);
    long other = repo.startAttempt("r-fence", "export", 1, "worker-a", 0, null);
    assertTrue(repo.isNewestAttempt(first), "another stage's attempt does not fence");

    long second =
        repo.startAttempt("r-fence", "w2s", 2, "worker-b", 150, "runs/r-fence/w2s/150.ckpt");
    assertFalse(repo.isNewestAttempt(first));
    assertTrue(repo.isNewestAttempt(second));
    assertTrue(repo.isNewestAttempt(other));

    var e = assertThrows(RepositoryException.class, () -> repo.isNewestAttempt(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void attemptsRoundTripAndOlderRunningOnesAreMarkedLost() {
    repo.createRun(run("r-attempts", null));
    long a1 = repo.startAttempt("r-attempts", "fine-tune", 1, "worker-a", 0, null);
    long a2 = repo.startAttempt("r-attempts", "fine-tune", 2, "worker-b", 100, "ckpt/100");
    repo.endAttempt(a2, "PAUSED", 180L, null);
    long a3 = repo.startAttempt("r-attempts", "fine-tune", 3, "worker-c", 180, "ckpt/180");
    repo.markAttemptsLost("r-attempts", "fine-tune", a3);
    repo.endAttempt(a3, "SUCCEEDED", 300L, null);

    List<AttemptRow> attempts = repo.attempts("r-attempts", "fine-tune");
    assertEquals(List.of(a1, a2, a3), attempts.stream().map(AttemptRow::id).toList());

    AttemptRow lost = attempts.get(0);
    assertEquals("LOST", lost.outcome());
    assertEquals(1, lost.attempt());
    assertEquals("worker-a", lost.worker());
    assertEquals(0, lost.startStep());
    assertNull(lost.endStep());
    assertNull(lost.resumedFrom());
    assertNotNull(lost.endedAt());

    AttemptRow paused = attempts.get(1);
    assertEquals("PAUSED", paused.outcome(), "only RUNNING attempts become LOST");
    assertEquals(100, paused.startStep());
    assertEquals(180L, paused.endStep());
    assertEquals("ckpt/100", paused.resumedFrom());

    AttemptRow done = attempts.get(2);
    assertEquals("SUCCEEDED", done.outcome());
    assertEquals("r-attempts", done.runId());
    assertEquals("fine-tune", done.stage());
    assertEquals(300L, done.endStep());
    assertNotNull(done.startedAt());
    assertFalse(done.endedAt().isBefore(done.startedAt()));

    long failed = repo.startAttempt("r-attempts", "w2s", 1, "worker-c", 0, null);
    repo.endAttempt(failed, "FAILED", null, "NaN loss at step 12");
    AttemptRow f = repo.attempts("r-attempts", "w2s").get(0);
    assertEquals("NaN loss at step 12", f.error());
    assertNull(f.endStep());
  }

  // ---------------------------------------------------------------- checkpoints

  @Test
  void checkpointsRoundTripByStepAndAreMarkedDeleted() {
    repo.createRun(run("r-ckpt", null));
    long a1 = repo.startAttempt("r-ckpt", "w2s", 1, "w", 0, null);
    repo.recordCheckpoint("r-ckpt", "w2s", a1, "runs/r-ckpt/w2s/200", 200, 2048, "h200", 0.25);
    repo.recordCheckpoint("r-ckpt", "w2s", a1, "runs/r-ckpt/w2s/100", 100, 1024, "h100", null);
    long a2 = repo.startAttempt("r-ckpt", "w2s", 2, "w", 100, "runs/r-ckpt/w2s/100");
    repo.recordCheckpoint("r-ckpt", "w2s", a2, "runs/r-ckpt/w2s/200", 200, 2050, "h200b", 0.2);
    repo.markCheckpointDeleted("runs/r-ckpt/w2s/100");
    repo.markCheckpointDeleted("runs/r-ckpt/w2s/100");

    List<CheckpointRow> rows = repo.checkpoints("r-ckpt", "w2s");
    assertEquals(List.of(100L, 200L), rows.stream().map(CheckpointRow::step).toList());
    CheckpointRow old = rows.get(0);
    assertEquals(a1, old.attemptId());
    assertEquals(1024, old.bytes());
    assertEquals("h100", old.sha256());
    assertNull(old.metric());
    assertNotNull(old.deletedAt());
    CheckpointRow rewritten = rows.get(1);
    assertEquals(a2, rewritten.attemptId(), "a retried write replaces the row");
    assertEquals("runs/r-ckpt/w2s/200", rewritten.objectKey());
    assertEquals(2050, rewritten.bytes());
    assertEquals("h200b", rewritten.sha256());
    assertEquals(0.2, rewritten.metric());
    assertEquals("r-ckpt", rewritten.runId());
    assertEquals("w2s", rewritten.stage());
    assertNotNull(rewritten.createdAt());
    assertNull(rewritten.deletedAt());

    var e = assertThrows(RepositoryException.class, () -> repo.markCheckpointDeleted("runs/nope"));
    assertTrue(e.getMessage().contains("runs/nope"), e.getMessage());
  }

  @Test
  void writeForAnUnknownRunNamesOperationAndRun() {
    var e =
        assertThrows(
            RepositoryException.class,
            () -> repo.recordCheckpoint("r-ghost", "w2s", 1, "k", 1, 1, "h", null));
    assertTrue(
        e.getMessage().contains("recordCheckpoint")
            && e.getMessage().contains("r-ghost")
            && e.getMessage().contains("w2s"),
        e.getMessage());
  }

  // ---------------------------------------------------------------- metrics

  @Test
  void metricsBatchByStepAndReplayedStepsReplace() {
    repo.createRun(run("r-metrics", null));
    repo.recordMetrics(
        "r-metrics",
        "dmd-lora",
        List.of(
            new MetricPoint("loss", 2, 0.5),
            new MetricPoint("loss", 1, 0.9),
            new MetricPoint("lr", 1, 1e-4),
            new MetricPoint("loss", 3, 0.4)));
    repo.recordMetrics("r-metrics", "dmd-lora", List.of(new MetricPoint("loss", 3, 0.35)));
    repo.recordMetrics("r-metrics", "dmd-lora", List.of());
    repo.recordMetrics("r-metrics", "w2s", List.of(new MetricPoint("loss", 1, 7.0)));

    assertEquals(
        List.of(
            new MetricPoint("loss", 1, 0.9),
            new MetricPoint("loss", 2, 0.5),
            new MetricPoint("loss", 3, 0.35)),
        repo.metrics("r-metrics", "dmd-lora", "loss"));
    assertEquals(
        List.of(new MetricPoint("lr", 1, 1e-4)), repo.metrics("r-metrics", "dmd-lora", "lr"));
    assertEquals(List.of(), repo.metrics("r-metrics", "dmd-lora", "fvd"));
  }

  @Test
  void metricsRecordedSinceAnAttemptStartedIncludeReplayedSteps() {
    repo.createRun(run("r-since", null));
    repo.recordMetrics(
        "r-since",
        "dmd-lora",
        List.of(new MetricPoint("loss", 1, 0.9), new MetricPoint("loss", 2, 0.8)));
    repo.startAttempt("r-since", "dmd-lora", 2, "worker-2@h", 1, "k1");
    Instant resumed = repo.attempts("r-since", "dmd-lora").get(0).startedAt();
    assertEquals(List.of(), repo.metricsRecordedSince("r-since", "dmd-lora", "loss", resumed));
    repo.recordMetrics(
        "r-since",
        "dmd-lora",
        List.of(new MetricPoint("loss", 2, 0.8), new MetricPoint("loss", 3, 0.7)));
    assertEquals(
        List.of(new MetricPoint("loss", 2, 0.8), new MetricPoint("loss", 3, 0.7)),
        repo.metricsRecordedSince("r-since", "dmd-lora", "loss", resumed));
  }

  // ---------------------------------------------------------------- artifacts and models

  @Test
  void artifactsAndExportedModelsRoundTrip() throws Exception {
    repo.createRun(run("r-art", null));
    repo.recordArtifact("r-art", "evaluate", "report", "runs/r-art/report.json", "h1", 512);
    repo.recordArtifact("r-art", "w2s", "samples", "runs/r-art/samples.mp4", "h2", 4096);
    repo.recordArtifact("r-art", "evaluate", "report", "runs/r-art/report.json", "h1b", 600);
    repo.recordArtifact("r-art", null, "dataset", "datasets/portrait.bin", null, 10);

    List<ArtifactRow> artifacts = repo.artifacts("r-art");
    assertEquals(3, artifacts.size());
    ArtifactRow report = artifacts.get(0);
    assertEquals("evaluate", report.stage());
    assertEquals("report", report.kind());
    assertEquals("runs/r-art/report.json", report.objectKey());
    assertEquals("h1b", report.sha256());
    assertEquals(600, report.bytes());
    assertNotNull(report.createdAt());
    assertNull(artifacts.get(2).stage());
    assertNull(artifacts.get(2).sha256());

    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> repo.recordArtifact("r-art", "w2s", "video", "k", "h", 1));
    assertTrue(e.getMessage().contains("video"), e.getMessage());

    repo.recordExportedModel("r-art", "portrait-4step", "models/p4/", "m1", "{\"fvd\":123.5}");
    repo.recordExportedModel("r-art", "portrait-1step", "models/p1/", "m2", null);
    repo.recordExportedModel("r-art", "portrait-4step", "models/p4/", "m1b", "{\"fvd\":120}");
    List<ExportedModelRow> models = repo.exportedModels("r-art");
    assertEquals(
        List.of("portrait-4step", "portrait-1step"),
        models.stream().map(ExportedModelRow::name).toList());
    ExportedModelRow m = models.get(0);
    assertEquals("r-art", m.runId());
    assertEquals("models/p4/", m.objectPrefix());
    assertEquals("m1b", m.manifestSha256());
    assertSameJson("{\"fvd\":120}", m.metricsJson());
    assertNotNull(m.createdAt());
    assertNull(models.get(1).metricsJson());
  }

  // ---------------------------------------------------------------- stage cache

  @Test
  void cachePutGetReplaceDelete() throws Exception {
    repo.createRun(run("r-cache", null));
    repo.createRun(run("r-cache-2", null));
    assertTrue(repo.cachedOutputs("ck-1").isEmpty());
    repo.putCache("ck-1", "r-cache", "fine-tune", "{\"teacher\":\"runs/r-cache/t.st\"}");
    assertSameJson("{\"teacher\":\"runs/r-cache/t.st\"}", repo.cachedOutputs("ck-1").orElseThrow());
    repo.putCache("ck-1", "r-cache-2", "fine-tune", "{\"teacher\":\"runs/r-cache-2/t.st\"}");
    assertSameJson(
        "{\"teacher\":\"runs/r-cache-2/t.st\"}", repo.cachedOutputs("ck-1").orElseThrow());
    repo.deleteCache("ck-1");
    assertTrue(repo.cachedOutputs("ck-1").isEmpty());
    repo.deleteCache("ck-1");
  }
}
