package com.magicdistill.tests;

import com.magicdistill.activities.RunSpecOverrides;
import com.magicdistill.activities.RunSpecs;
import com.magicdistill.db.AttemptRow;
import com.magicdistill.db.CheckpointRow;
import com.magicdistill.db.MetricPoint;
import com.magicdistill.db.Repositories;
import com.magicdistill.db.RunRow;
import com.magicdistill.db.StageRow;
import com.magicdistill.platform.Connections;
import com.magicdistill.platform.EmbeddedStack;
import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.S3ProxyServer;
import com.magicdistill.platform.WorkerMain;
import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.StageStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The embedded platform on free loopback ports for end-to-end tests, and worker JVMs started as
 * child processes (so they can be SIGKILLed).
 */
final class PipelineHarness implements AutoCloseable {
  final Path home;
  final EmbeddedStack stack;
  final Connections connections;
  private final List<Process> workers = new ArrayList<>();
  private Process shared;

  PipelineHarness(Path home) throws IOException {
    this.home = home;
    PlatformConfig config =
        PlatformConfig.embeddedDefaults(
            home, S3ProxyServer.freePort(), S3ProxyServer.freePort(), S3ProxyServer.freePort());
    this.stack = EmbeddedStack.start(config);
    this.connections = new Connections(config);
  }

  Repositories repo() {
    return connections.repositories();
  }

  /**
   * A smoke-preset spec shrunk for tests: short fine-tune, {@code dmdIterations} DMD-LoRA
   * iterations, checkpoints every 4 steps, stage cache off (so every stage runs in its own test;
   * the cache test turns it back on).
   */
  static RunSpec spec(String runId, int dmdIterations) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("fineTune.baseSteps", 24);
    o.put("fineTune.steps", 16);
    o.put("distill.dmdIterations", dmdIterations);
    o.put("distill.w2sIterations", 6);
    o.put("evaluate.heldOutClips", 6);
    // Test-sized intervals: 1000 draws cost ~27 s of CPU per evaluated row (docs/EVALUATION.md).
    o.put("evaluate.bootstrapResamples", 100);
    o.put("checkpoints.everySteps", 4);
    o.put("heartbeatSeconds", 4);
    return RunSpecOverrides.apply(RunSpecs.forPreset("smoke", runId), o).withCache(false);
  }

  /** Starts a worker JVM serving the gpu queue. */
  Process startWorker(String name) throws IOException {
    Path log = home.resolve(name + ".log");
    Process p =
        WorkerMain.spawn(
            connections.config(),
            Map.of(
                "MAGIC_RECONCILE_SECONDS", "2",
                "OMP_NUM_THREADS", System.getenv().getOrDefault("OMP_NUM_THREADS", "1"),
                "DJL_CACHE_DIR",
                    System.getenv()
                        .getOrDefault(
                            "DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai")),
            log);
    workers.add(p);
    return p;
  }

  /**
   * The worker shared by the tests that leave their worker running: one JVM start, data rendering
   * and JIT warm-up for all of them instead of one each (about 7 s per start on a 2-core machine).
   * Started if it is not running; its log is {@link #SHARED}.
   */
  Process sharedWorker() throws IOException {
    if (shared == null || !shared.isAlive()) {
      shared = startWorker(SHARED);
    }
    return shared;
  }

  /** The shared worker's log name. */
  static final String SHARED = "w-shared";

  String log(String name) throws IOException {
    Path p = home.resolve(name + ".log");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** Where a worker's log ends now: {@link #logSince} reads what was written after it. */
  long logMark(String name) throws IOException {
    Path p = home.resolve(name + ".log");
    return Files.exists(p) ? Files.size(p) : 0;
  }

  /** What a worker logged after {@code mark} (a shared worker's log, one test's part of it). */
  String logSince(String name, long mark) throws IOException {
    Path p = home.resolve(name + ".log");
    if (!Files.exists(p)) {
      return "";
    }
    byte[] all = Files.readAllBytes(p);
    int from = (int) Math.min(mark, all.length);
    return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The run's status in PostgreSQL (null: no such run). */
  RunStatus status(String runId) {
    return repo().runs().findRun(runId).map(RunRow::status).orElse(null);
  }

  /** Highest checkpoint step recorded for a stage (0 if none). */
  long checkpointStep(String runId, String stage) {
    return repo().checkpoints().checkpoints(runId, stage).stream()
        .mapToLong(CheckpointRow::step)
        .max()
        .orElse(0);
  }

  /** Highest step with a recorded generator loss (the stage's progress in PostgreSQL). */
  long metricStep(String runId, String stage, String metric) {
    List<MetricPoint> points = repo().metrics().metrics(runId, stage, metric);
    return points.isEmpty() ? 0 : points.get(points.size() - 1).step();
  }

  Optional<StageRow> stage(String runId, String stage) {
    return repo().stages().stages(runId).stream().filter(s -> s.stage().equals(stage)).findFirst();
  }

  /** The stage's status, or null when it has no row. */
  StageStatus stageStatus(String runId, String stage) {
    return stage(runId, stage).map(StageRow::status).orElse(null);
  }

  /** The newest generator checkpoint recorded for a DMD stage, or null. */
  CheckpointRow newestGeneratorCheckpoint(String runId, String stage) {
    return repo().checkpoints().checkpoints(runId, stage).stream()
        .filter(c -> c.objectKey().contains("/generator/"))
        .reduce((a, b) -> b)
        .orElse(null);
  }

  /** The newest attempt of a stage, or null. */
  AttemptRow lastAttempt(String runId, String stage) {
    List<AttemptRow> all = repo().stages().attempts(runId, stage);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /**
   * The lowest step the attempt recorded a {@code metric} for: what it really ran first (metrics
   * are rewritten by a replaying attempt, so this is the step after the one it restored).
   */
  long firstMetricStepOf(AttemptRow attempt, String metric) {
    return repo()
        .metrics()
        .metricsRecordedSince(attempt.runId(), attempt.stage(), metric, attempt.startedAt())
        .stream()
        .mapToLong(MetricPoint::step)
        .min()
        .orElse(-1);
  }

  /** Waits until the stage's status is {@code status} (failing fast if the run ends without). */
  void awaitStage(String runId, String stage, StageStatus status, long timeoutSeconds)
      throws InterruptedException {
    waitFor(
        runId + " " + stage + " to be " + status,
        timeoutSeconds,
        () -> {
          if (status == stageStatus(runId, stage)) {
            return true;
          }
          RunStatus now = status(runId);
          if (now != null && now.isTerminal()) {
            throw new AssertionError(
                runId
                    + " ended "
                    + status(runId)
                    + " with "
                    + stage
                    + " "
                    + stageStatus(runId, stage));
          }
          return false;
        });
  }

  /** Cancels the run (its recovery was verified; the later stages are the complete test's job). */
  void cancelAndAwait(String runId, long timeoutSeconds) throws InterruptedException {
    connections.pipeline().cancel(runId, "test: recovery verified");
    RunStatus end = awaitEnd(runId, timeoutSeconds);
    if (end != RunStatus.CANCELLED) {
      throw new AssertionError(runId + " ended " + end + ", expected CANCELLED");
    }
  }

  /**
   * Asserts the run left nothing half-done in PostgreSQL: a terminal status with its finish time,
   * every attempt of every stage ended (none RUNNING), no stage RUNNING or PAUSED.
   */
  void assertSettled(String runId) {
    RunRow run = repo().runs().findRun(runId).orElseThrow();
    if (!run.status().isTerminal() || run.finishedAt() == null) {
      throw new AssertionError(runId + " is not finished: " + run);
    }
    List<StageRow> stages = repo().stages().stages(runId);
    if (stages.size() != 5) {
      throw new AssertionError(runId + " has " + stages.size() + " stage rows: " + stages);
    }
    for (StageRow s : stages) {
      if (s.status() == StageStatus.RUNNING) {
        throw new AssertionError(runId + " left stage " + s.stage() + " " + s.status());
      }
      for (AttemptRow a : repo().stages().attempts(runId, s.stage())) {
        if (a.outcome() == AttemptOutcome.RUNNING || a.endedAt() == null) {
          throw new AssertionError(runId + " left an attempt running: " + a);
        }
      }
    }
  }

  /**
   * Cancels every run still in flight (a failed test must not leave one for the next test's worker)
   * and waits a bounded time for them to end.
   */
  void cancelInFlight() throws InterruptedException, IOException {
    List<String> open = repo().runs().inFlightRuns().stream().map(RunRow::id).toList();
    if (!open.isEmpty() && workers.stream().noneMatch(Process::isAlive)) {
      startWorker("w-cleanup-" + System.nanoTime()); // a cancel needs a worker to run the workflow
    }
    for (String id : open) {
      try {
        connections.pipeline().cancel(id, "test cleanup");
      } catch (RuntimeException e) {
        // Temporal may not know it (restarted server): nothing to cancel there.
      }
    }
    for (String id : open) {
      try {
        awaitEnd(id, 60);
      } catch (AssertionError e) {
        System.err.println("cleanup: " + e.getMessage());
      }
    }
  }

  /**
   * Stretches every wait on a loaded machine ({@code -De2e.timeScale=3}); pair it with {@code
   * -Djunit.jupiter.execution.timeout.mode=disabled}, since the tests' timeouts assume 1.
   */
  private static final double TIME_SCALE =
      Double.parseDouble(System.getProperty("e2e.timeScale", "1"));

  static void waitFor(String what, long timeoutSeconds, BooleanSupplier condition)
      throws InterruptedException {
    long seconds = Math.round(timeoutSeconds * TIME_SCALE);
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  /** Waits until the run reaches a terminal status in PostgreSQL and returns it. */
  RunStatus awaitEnd(String runId, long timeoutSeconds) throws InterruptedException {
    try {
      waitFor(
          runId + " to finish",
          timeoutSeconds,
          () -> status(runId) != null && status(runId).isTerminal());
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + " (status "
              + status(runId)
              + "); the workers' last lines about it:\n"
              + WorkerLogs.linesAbout(home, runId, 40),
          e);
    }
    return status(runId);
  }

  /** Stops every worker started so far (SIGTERM: they drain; SIGKILL after 30 s). */
  void stopWorkers() {
    stop(List.copyOf(workers));
  }

  /** Stops every worker but the shared one, which the next test that shares it finds warm. */
  void stopWorkersButTheShared() {
    stop(workers.stream().filter(p -> p != shared).toList());
  }

  private void stop(List<Process> these) {
    for (Process p : these) {
      p.destroy();
    }
    for (Process p : these) {
      try {
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.removeAll(these);
  }

  @Override
  public void close() {
    stopWorkers();
    connections.close();
    stack.close();
  }
}
