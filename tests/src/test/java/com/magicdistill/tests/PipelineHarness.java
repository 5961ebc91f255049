package com.magicdistill.tests;

import com.magicdistill.activities.RunSpecOverrides;
import com.magicdistill.activities.RunSpecs;
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
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
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
   * iterations (distinct values keep stage-cache keys apart), checkpoints every 4 steps.
   */
  static RunSpec spec(String runId, int dmdIterations) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("fineTune.baseSteps", 24);
    o.put("fineTune.steps", 16);
    o.put("distill.dmdIterations", dmdIterations);
    o.put("distill.w2sIterations", 6);
    o.put("evaluate.heldOutClips", 6);
    o.put("checkpoints.everySteps", 4);
    o.put("heartbeatSeconds", 4);
    return RunSpecOverrides.apply(RunSpecs.forPreset("smoke", runId), o);
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

  String log(String name) throws IOException {
    Path p = home.resolve(name + ".log");
    return Files.exists(p) ? Files.readString(p) : "";
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

  static void waitFor(String what, long timeoutSeconds, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutSeconds + " s waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  /** Waits until the run reaches a terminal status in PostgreSQL and returns it. */
  RunStatus awaitEnd(String runId, long timeoutSeconds) throws InterruptedException {
    waitFor(
        runId + " to finish",
        timeoutSeconds,
        () -> status(runId) != null && status(runId).isTerminal());
    return status(runId);
  }

  /** Stops every worker started so far (SIGTERM: they drain; SIGKILL after 30 s). */
  void stopWorkers() {
    for (Process p : workers) {
      p.destroy();
    }
    for (Process p : workers) {
      try {
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.clear();
  }

  @Override
  public void close() {
    stopWorkers();
    connections.close();
    stack.close();
  }
}
