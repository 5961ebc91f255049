package com.magicdistill.platform;

import com.magicdistill.workflows.TaskQueues;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * A worker JVM: {@code WorkerMain [queue,...] [slots] [role]}, endpoints from {@code MAGIC_*}. What
 * {@code ./magic worker} runs, and what tests and benchmarks start as a child process to kill.
 */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    List<String> queues =
        args.length > 0 ? Arrays.asList(args[0].split(",")) : List.of(TaskQueues.GPU);
    int slots = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    WorkerRole role = args.length > 2 ? WorkerRole.parse(args[2]) : WorkerRole.ALL;
    PlatformConfig config = PlatformConfig.fromEnv(System.getenv());
    // A child of a test or benchmark: no management port unless MAGIC_METRICS_PORT asks for one.
    runUntilStopped(config, role, queues, slots, config.process().metricsPort());
  }

  /**
   * Runs a worker until the JVM is told to stop (then it drains), with health and metrics on {@code
   * metricsPort} when present.
   */
  public static void runUntilStopped(
      PlatformConfig config,
      WorkerRole role,
      List<String> queues,
      int slots,
      OptionalInt metricsPort)
      throws IOException, InterruptedException {
    PrometheusMeterRegistry registry =
        metricsPort.isPresent() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    Connections c = new Connections(config, registry);
    StageMetrics stageMetrics =
        registry == null ? null : new StageMetrics(registry, slots, config.worker().stallLimit());
    WorkerProcess worker;
    ManagementServer management;
    try {
      worker = start(c, role, queues, slots, stageMetrics);
      management =
          registry == null
              ? null
              : ManagementServer.start(
                  metricsPort.getAsInt(),
                  registry,
                  () -> !stageMetrics.stalled(),
                  Readiness.of(c),
                  10);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  if (management != null) {
                    management.close();
                  }
                  c.close();
                  stopped.countDown();
                }));
    System.out.println(
        "worker "
            + worker.identity()
            + " ("
            + role
            + ") serving "
            + worker.servedQueues()
            + " ("
            + slots
            + " slots)"
            + (management == null ? "" : "; health and metrics on port " + management.port()));
    stopped.await();
  }

  /** Starts an {@code all} worker on {@code c}. */
  public static WorkerProcess start(Connections c, List<String> queues, int slots)
      throws IOException {
    return start(c, WorkerRole.ALL, queues, slots);
  }

  /** Starts a worker on {@code c} (scratch under MAGIC_HOME, settings from its config). */
  public static WorkerProcess start(Connections c, WorkerRole role, List<String> queues, int slots)
      throws IOException {
    return start(c, role, queues, slots, null);
  }

  /** {@link #start(Connections, WorkerRole, List, int)} with stage metrics when not null. */
  static WorkerProcess start(
      Connections c, WorkerRole role, List<String> queues, int slots, StageMetrics metrics)
      throws IOException {
    if (slots < 1) {
      throw new IllegalArgumentException("--slots must be at least 1 (got " + slots + ")");
    }
    if (role.servesStages() && (queues.isEmpty() || queues.stream().anyMatch(String::isBlank))) {
      throw new IllegalArgumentException("--queue is invalid (got " + queues + "): e.g. gpu");
    }
    if (role.servesStages() && queues.contains(TaskQueues.PIPELINE)) {
      throw new IllegalArgumentException(
          "--queue "
              + TaskQueues.PIPELINE
              + " is the pipeline queue, not a stage queue: use --role pipeline for it");
    }
    Path scratch = c.config().home().resolve("scratch");
    Files.createDirectories(scratch);
    return (metrics == null
            ? new WorkerProcess(c, role, queues, slots, scratch, identity(c.config()))
            : new WorkerProcess(c, role, queues, slots, scratch, identity(c.config()), metrics))
        .start();
  }

  /** {@code MAGIC_WORKER_IDENTITY} (the pod name), else {@code worker-<pid>@<host>}. */
  static String identity(PlatformConfig config) {
    String set = config.process().workerIdentity();
    return set != null ? set : "worker-" + ProcessHandle.current().pid() + "@" + hostName();
  }

  /**
   * Starts a worker JVM as a child process of this one (same classpath), pointed at {@code config},
   * logging to {@code log} (levels from simplelogger.properties in this module's resources).
   */
  public static Process spawn(PlatformConfig config, Map<String, String> extraEnv, Path log)
      throws IOException {
    return spawn(config, extraEnv, log, List.of());
  }

  /**
   * {@link #spawn(PlatformConfig, Map, Path)} with this class's arguments: {@code [queue,...]
   * [slots] [role]}, e.g. {@code gpu 1 stages}.
   */
  public static Process spawn(
      PlatformConfig config, Map<String, String> extraEnv, Path log, List<String> args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx3g");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dai.djl.default_engine=PyTorch");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(WorkerMain.class.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(config.toEnv());
    pb.environment().put("MAGIC_HOME", config.home().toString());
    pb.environment().putAll(extraEnv);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
