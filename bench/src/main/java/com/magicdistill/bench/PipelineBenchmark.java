package com.magicdistill.bench;

import com.magicdistill.activities.RunSpecOverrides;
import com.magicdistill.activities.RunSpecs;
import com.magicdistill.db.AttemptRow;
import com.magicdistill.db.CheckpointRow;
import com.magicdistill.db.MetricPoint;
import com.magicdistill.db.Repositories;
import com.magicdistill.db.RunRow;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.platform.Connections;
import com.magicdistill.platform.EmbeddedStack;
import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.S3ProxyServer;
import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code magic bench pipeline}: what the durable pipeline costs and how fast it recovers, on its
 * own embedded stack (PostgreSQL, S3Proxy, Temporal test server on free loopback ports, data in a
 * temporary MAGIC_HOME) with worker JVMs as child processes. In one run, smoke preset:
 *
 * <ol>
 *   <li>{@code start_to_first_step_ms}: launch to the first fine-tune step in PostgreSQL, warm
 *       worker (median of 3 launches, each cancelled after its first step);
 *   <li>{@code resume_after_kill_s}, {@code steps_lost_on_kill}: DMD-LoRA's worker SIGKILLed
 *       mid-checkpoint-interval; time until the standby worker records a new step;
 *   <li>{@code checkpoint_put_mb_s} vs {@code raw_s3_put_mb_s} ({@link CheckpointThroughput});
 *   <li>{@code pipeline_overhead_pct}: a full run through Temporal vs its five stages called
 *       directly ({@link DirectPipeline}) in this JVM, same S3 and PostgreSQL.
 * </ol>
 *
 * Writes {@code pipeline.json} and {@code pipeline.md}. Stage cache off for every timed run.
 */
public final class PipelineBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineBenchmark.class);

  static final String PRESET = "smoke";
  static final int FIRST_STEP_LAUNCHES = 3;
  static final int OVERHEAD_ROUNDS = 2;
  // even: as many pairs with the save first as with the raw put first (whichever goes first
  // follows the previous pair's store put and pays for what S3Proxy still does with it)
  static final int CHECKPOINT_REPETITIONS = 16;
  static final int CHECKPOINT_ONLY_REPETITIONS = 24;

  /** Results name of {@code --only checkpoint}, apart from the full run's. */
  static final String CHECKPOINT_ONLY_NAME = "pipeline-checkpoint";

  /** Results name of {@code --only orchestration}, apart from the full run's. */
  static final String ORCHESTRATION_ONLY_NAME = "pipeline-orchestration";

  /** Timed short runs of {@code --only orchestration}, after the warm-up runs. */
  static final int ORCHESTRATION_ONLY_RUNS = 6;

  /**
   * Short runs a worker handles before the orchestration is timed, as a long-lived pipeline worker
   * has: its workflow-task path is compiled only after a few runs (the first take up to twice as
   * long outside their stages). Their times are reported apart.
   */
  static final int ORCHESTRATION_WARMUP_RUNS = 3;

  /** What a run measures: everything, or one measurement alone with more repetitions. */
  public enum Only {
    ALL("pipeline"),
    CHECKPOINT(CHECKPOINT_ONLY_NAME),
    ORCHESTRATION(ORCHESTRATION_ONLY_NAME);

    private final String resultsName;

    Only(String resultsName) {
      this.resultsName = resultsName;
    }
  }

  static final int KILL_DMD_ITERATIONS = 60;
  static final int KILL_CHECKPOINT_EVERY = 5;
  static final int KILL_AFTER_CHECKPOINT_STEP = 15;
  static final int KILL_STEPS_PAST_CHECKPOINT = 2;
  static final int KILL_HEARTBEAT_SECONDS = 5;
  static final double CHECKPOINT_TARGET_PCT = 95;
  static final double OUTSIDE_STAGES_TARGET_S = 0.5;
  static final double OVERHEAD_TARGET_PCT = 10;
  private static final long POLL_MS = 20;
  // generous: on a shared machine a full smoke run took over 10 minutes
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(40);
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);
  private static final String FIRST_METRIC = "base.loss";
  private static final String DMD_METRIC = "generator.loss";

  private final Path resultsDir;
  private final Path home;
  private final String machineNote;
  private final Progress progress;
  private final Only only;
  private WorkerJvms workers;
  private int step;

  /**
   * @param home MAGIC_HOME of the embedded stack, or null for a temporary folder deleted at the end
   * @param machineNote what else ran on the machine (goes into the JSON and the table), or null
   */
  public PipelineBenchmark(Path resultsDir, Path home, String machineNote, Progress progress) {
    this(resultsDir, home, machineNote, progress, Only.ALL);
  }

  /**
   * @param only {@link Only#ALL}, or one measurement alone, written under its own name (a minute or
   *     two instead of ten: to see its spread): the checkpoint save ({@value
   *     #CHECKPOINT_ONLY_NAME}) or the orchestration of short runs ({@value
   *     #ORCHESTRATION_ONLY_NAME})
   */
  public PipelineBenchmark(
      Path resultsDir, Path home, String machineNote, Progress progress, Only only) {
    this.resultsDir = resultsDir;
    this.home = home;
    this.machineNote = machineNote;
    this.progress = progress;
    this.only = only;
  }

  /** The results name this benchmark writes ({@code <name>.json} and .md). */
  public String resultsName() {
    return only.resultsName;
  }

  /** Runs every measurement and writes {@code pipeline.json} and {@code pipeline.md}. */
  public Map<String, Object> run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    Path dir = home != null ? home : Files.createTempDirectory("magic-bench-pipeline");
    Map<String, Object> json = new LinkedHashMap<>();
    // the code this JVM runs: the tree as it was built, before anything changed it meanwhile
    json.put("code", CodeRevision.current().toMap());
    String omp = System.getenv("OMP_NUM_THREADS");
    json.put("preset", PRESET);
    json.put(
        "command",
        (omp == null ? "" : "OMP_NUM_THREADS=" + omp + " ")
            + "./magic bench pipeline"
            + (only == Only.ALL ? "" : " --only " + only.name().toLowerCase(Locale.ROOT)));
    json.put("machine_note", machineNote == null ? "" : machineNote);
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("omp_num_threads", omp == null ? "unset (libtorch default)" : omp);
    json.put(
        "load_average_at_start",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    progress.start(
        "pipeline benchmark",
        switch (only) {
          case CHECKPOINT -> 1;
          case ORCHESTRATION -> ORCHESTRATION_WARMUP_RUNS + ORCHESTRATION_ONLY_RUNS;
          case ALL -> 3 + FIRST_STEP_LAUNCHES + 2L * OVERHEAD_ROUNDS;
        });
    PlatformConfig config =
        PlatformConfig.embeddedDefaults(
            dir, S3ProxyServer.freePort(), S3ProxyServer.freePort(), S3ProxyServer.freePort());
    // Workers reconcile only at start: the direct runs are in PostgreSQL without a workflow, and a
    // periodic reconciler would re-submit them.
    workers =
        new WorkerJvms(
            config, dir, Map.of("MAGIC_RECONCILE_SECONDS", "86400"), Duration.ofSeconds(30));
    try (EmbeddedStack stack = EmbeddedStack.start(config);
        Connections c = new Connections(config)) {
      if (only == Only.ORCHESTRATION) {
        orchestration(c, json);
        return finish(json, start);
      }
      tick("checkpoint throughput");
      checkpoints(
          c,
          dir,
          json,
          only == Only.CHECKPOINT ? CHECKPOINT_ONLY_REPETITIONS : CHECKPOINT_REPETITIONS);
      if (only == Only.CHECKPOINT) {
        return finish(json, start);
      }
      tick("warm-up runs");
      String warm = warmUp(c, dir, json);
      firstStep(c, json);
      overhead(c, dir, json);
      tick("kill and resume");
      killAndResume(c, warm, json);
    } finally {
      workers.close();
      progress.end();
      if (home == null) {
        BenchResults.deleteQuietly(dir);
      }
    }
    return finish(json, start);
  }

  private Map<String, Object> finish(Map<String, Object> json, long start) throws IOException {
    json.put("wall_s", (System.nanoTime() - start) / 1e9);
    json.put("targets", targets(json));
    BenchResults.write(resultsDir, resultsName(), json, markdown(json));
    return json;
  }

  // ------------------------------------------------------------------ measurements

  private void checkpoints(Connections c, Path dir, Map<String, Object> json, int repetitions)
      throws IOException {
    var r =
        CheckpointThroughput.measure(
            c.store(), c.config().s3(), dir.resolve("bench-scratch"), repetitions);
    double cp = Median.of(r.checkpointMbPerS());
    double raw = Median.of(r.rawMbPerS());
    json.put("checkpoint_mb", r.checkpointMb());
    json.put("checkpoint_put_mb_s", cp);
    json.put("raw_s3_put_mb_s", raw);
    // paired: each save against the raw put next to it, so load that drifts over the
    // measurement falls on both sides of a pair and cancels in its ratio
    List<Double> pairs = new ArrayList<>();
    for (int i = 0; i < r.checkpointMbPerS().size(); i++) {
      pairs.add(100 * r.checkpointMbPerS().get(i) / r.rawMbPerS().get(i));
    }
    json.put("checkpoint_vs_raw_pct", Median.of(pairs));
    json.put("checkpoint_vs_raw_pct_runs", pairs);
    json.put("checkpoint_vs_raw_pct_of_medians", 100 * cp / raw);
    List<Double> saveFirst = new ArrayList<>();
    List<Double> rawFirst = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      (r.saveWentFirst().get(i) ? saveFirst : rawFirst).add(pairs.get(i));
    }
    // apart: what the position in a pair does (close together = no order effect left)
    json.put("checkpoint_vs_raw_pct_save_first", Median.of(saveFirst));
    json.put("checkpoint_vs_raw_pct_raw_first", Median.of(rawFirst));
    json.put("store_put_mb_s", Median.of(r.storePutMbPerS()));
    json.put("checksum", "crc32c");
    json.put("checksum_ms", Median.of(r.checksumMs()));
    json.put("checkpoint_put_mb_s_runs", r.checkpointMbPerS());
    json.put("raw_s3_put_mb_s_runs", r.rawMbPerS());
    json.put("store_put_mb_s_runs", r.storePutMbPerS());
    json.put("checksum_ms_runs", r.checksumMs());
    json.put("checkpoint_repetitions", repetitions);
    json.put("checkpoint_tensor_put_ms", Median.of(r.tensorPutMs()));
    json.put("checkpoint_manifest_put_ms", Median.of(r.manifestPutMs()));
    json.put("checkpoint_pointer_put_ms", Median.of(r.pointerPutMs()));
    json.put("checkpoint_tensor_put_ms_runs", r.tensorPutMs());
    json.put("checkpoint_manifest_put_ms_runs", r.manifestPutMs());
    json.put("checkpoint_pointer_put_ms_runs", r.pointerPutMs());
    json.put("checkpoint_save_went_first_runs", r.saveWentFirst());
    LOG.info(
        "checkpoint {} MB: {} MB/s through CheckpointIO vs {} MB/s raw",
        fmt(r.checkpointMb()),
        fmt(cp),
        fmt(raw));
  }

  /**
   * Two workers, each warmed by a short run of its own (started together, so each worker takes
   * one), then the same short run directly in this JVM. Returns a warm-up run id (its fine-tune
   * stage is reused by the kill measurement).
   */
  private String warmUp(Connections c, Path dir, Map<String, Object> json)
      throws IOException, InterruptedException {
    workers.spawn("worker-a", List.of());
    workers.spawn("worker-b", List.of());
    List<String> ids = List.of("p-warm-a", "p-warm-b");
    long t0 = System.nanoTime();
    for (String id : ids) {
      c.launcher().launch(warmUpSpec(id));
    }
    for (String id : ids) {
      awaitSucceeded(c, id, RUN_TIMEOUT);
    }
    json.put("warmup_temporal_s", (System.nanoTime() - t0) / 1e9);
    Map<String, Object> placement = new LinkedHashMap<>();
    for (String id : ids) {
      Map<String, String> byStage = new LinkedHashMap<>();
      for (PipelineStage s : PipelineStage.values()) {
        var attempts = c.repositories().stages().attempts(id, s.slug());
        byStage.put(s.slug(), attempts.isEmpty() ? "-" : attempts.get(0).worker());
      }
      placement.put(id, byStage);
    }
    json.put("warmup_stage_workers", placement);
    // then short runs, two at a time (one per worker, on average), to warm the workflow-task path
    List<Double> shortOutside = new ArrayList<>();
    for (int round = 1; round <= ORCHESTRATION_WARMUP_RUNS; round++) {
      List<String> pair = List.of("p-warm-short-" + round + "a", "p-warm-short-" + round + "b");
      long launched = System.nanoTime();
      for (String id : pair) {
        c.launcher().launch(orchestrationSpec(id));
      }
      for (String id : pair) {
        double s = (awaitSucceeded(c, id, RUN_TIMEOUT) - launched) / 1e9;
        shortOutside.add(s - inStageSeconds(c.repositories(), id));
      }
    }
    json.put("warmup_outside_stages_s_runs", shortOutside);
    long t1 = System.nanoTime();
    direct(c, dir).run(warmUpSpec("p-warm-direct"));
    json.put("warmup_direct_s", (System.nanoTime() - t1) / 1e9);
    return ids.get(0);
  }

  /** A short run through every stage (JIT, libtorch and every code path loaded). */
  private static RunSpec warmUpSpec(String id) {
    return shortSpec(id, 30, 20, 6, Map.of());
  }

  /**
   * The smoke preset with {@code baseSteps} + {@code steps} fine-tune steps, {@code iterations}
   * DMD-LoRA and W2S iterations each, {@code more} overrides, and the stage cache off.
   */
  private static RunSpec shortSpec(
      String id, int baseSteps, int steps, int iterations, Map<String, Object> more) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("fineTune.baseSteps", baseSteps);
    o.put("fineTune.steps", steps);
    o.put("distill.dmdIterations", iterations);
    o.put("distill.w2sIterations", iterations);
    o.putAll(more);
    return RunSpecOverrides.apply(RunSpecs.forPreset(PRESET, id), o).withCache(false);
  }

  private void firstStep(Connections c, Map<String, Object> json) throws InterruptedException {
    List<Double> ms = new ArrayList<>();
    List<Double> toAttempt = new ArrayList<>();
    for (int i = 1; i <= FIRST_STEP_LAUNCHES; i++) {
      tick("launch to first step " + i + "/" + FIRST_STEP_LAUNCHES);
      String id = "p-first-" + i;
      RunSpec spec = RunSpecs.forPreset(PRESET, id).withCache(false);
      Repositories repo = c.repositories();
      Instant launched = Instant.now();
      long t0 = System.nanoTime();
      c.launcher().launch(spec);
      waitFor(
          id + " to record its first step",
          STEP_TIMEOUT,
          () -> !repo.metrics().metrics(id, "fine-tune", FIRST_METRIC).isEmpty());
      ms.add((System.nanoTime() - t0) / 1e6);
      // PostgreSQL's clock and this JVM's are the same host clock.
      Instant attemptStart = repo.stages().attempts(id, "fine-tune").get(0).startedAt();
      toAttempt.add(Duration.between(launched, attemptStart).toNanos() / 1e6);
      c.pipeline().cancel(id, "benchmark: first step measured");
      awaitTerminal(c, id, STEP_TIMEOUT);
      LOG.info("{}: first step after {} ms", id, fmt(ms.get(ms.size() - 1)));
    }
    json.put("start_to_first_step_ms", Median.of(ms));
    json.put("start_to_first_step_ms_runs", ms);
    json.put("launch_to_attempt_start_ms", Median.of(toAttempt));
    json.put("launch_to_attempt_start_ms_runs", toAttempt);
  }

  /**
   * Full smoke runs, direct and through Temporal, in the order D T T D (repeated): a linear drift
   * in the machine's speed falls equally on both. Besides wall time, each run records the time
   * inside its stage attempts (wall minus that is orchestration: waiting, hardly disturbed by other
   * programs' load) and the CPU time of this JVM and its child processes (workers, S3Proxy).
   */
  private void overhead(Connections c, Path dir, Map<String, Object> json)
      throws IOException, InterruptedException {
    DirectPipeline direct = direct(c, dir);
    Map<String, Map<String, List<Double>>> series = new LinkedHashMap<>();
    for (String path : List.of("direct", "temporal")) {
      Map<String, List<Double>> m = new LinkedHashMap<>();
      for (String k : List.of("run_s", "in_stage_s", "cpu_s", "load_average")) {
        m.put(k, new ArrayList<>());
      }
      series.put(path, m);
    }
    Map<String, List<Double>> segments = newSegments();
    int n = 0;
    for (int round = 1; round <= OVERHEAD_ROUNDS; round++) {
      boolean directFirst = round % 2 == 1;
      for (int k = 0; k < 2; k++) {
        boolean isDirect = (k == 0) == directFirst;
        String path = isDirect ? "direct" : "temporal";
        String id = "p-" + path + "-" + round;
        tick("full run " + (++n) + "/" + 2 * OVERHEAD_ROUNDS + " (" + id + ")");
        RunSpec spec = RunSpecs.forPreset(PRESET, id).withCache(false);
        double cpu0 = cpuSeconds();
        Instant launched = Instant.now();
        long t0 = System.nanoTime();
        long t1;
        if (isDirect) {
          direct.run(spec);
          t1 = System.nanoTime();
        } else {
          c.launcher().launch(spec);
          t1 = awaitSucceeded(c, id, RUN_TIMEOUT);
        }
        double s = (t1 - t0) / 1e9;
        if (!isDirect) {
          addSegments(segments, timeline(c, id, launched, launched.plusNanos(t1 - t0)));
        }
        Map<String, List<Double>> m = series.get(path);
        m.get("run_s").add(s);
        m.get("in_stage_s").add(inStageSeconds(c.repositories(), id));
        m.get("cpu_s").add(cpuSeconds() - cpu0);
        m.get("load_average")
            .add(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        LOG.info("{}: {} s", id, fmt(s));
      }
    }
    Map<String, List<Double>> d = series.get("direct");
    Map<String, List<Double>> t = series.get("temporal");
    double dRun = Median.of(d.get("run_s"));
    double tRun = Median.of(t.get("run_s"));
    json.put("pipeline_overhead_pct", 100 * (tRun - dRun) / dRun);
    json.put("temporal_run_s", tRun);
    json.put("direct_run_s", dRun);
    double tOut = Median.of(difference(t.get("run_s"), t.get("in_stage_s")));
    double dOut = Median.of(difference(d.get("run_s"), d.get("in_stage_s")));
    json.put("temporal_outside_stages_s", tOut);
    json.put("direct_outside_stages_s", dOut);
    json.put("orchestration_overhead_pct", 100 * (tOut - dOut) / dRun);
    double tCpu = Median.of(t.get("cpu_s"));
    double dCpu = Median.of(d.get("cpu_s"));
    json.put("temporal_cpu_s", tCpu);
    json.put("direct_cpu_s", dCpu);
    json.put("cpu_overhead_pct", 100 * (tCpu - dCpu) / dCpu);
    json.put("direct_run_spread_pct", spreadPct(d.get("run_s")));
    json.put("temporal_run_spread_pct", spreadPct(t.get("run_s")));
    series.forEach((path, m) -> m.forEach((k, v) -> json.put(path + "_" + k + "_runs", v)));
    putSegments(json, segments);
  }

  /**
   * {@code --only orchestration}: one worker, warmed by a short run, then {@value
   * #ORCHESTRATION_ONLY_RUNS} short runs through Temporal one after another; per run the time
   * outside its stage attempts and where it went ({@link OrchestrationTimeline}).
   */
  private void orchestration(Connections c, Map<String, Object> json)
      throws IOException, InterruptedException {
    workers.spawn("worker-a", List.of());
    List<Double> warmOutside = new ArrayList<>();
    List<Double> outside = new ArrayList<>();
    List<Double> runs = new ArrayList<>();
    Map<String, List<Double>> segments = newSegments();
    for (int i = 1 - ORCHESTRATION_WARMUP_RUNS; i <= ORCHESTRATION_ONLY_RUNS; i++) {
      boolean warmUp = i <= 0;
      String id = warmUp ? "p-orch-warm-" + (i + ORCHESTRATION_WARMUP_RUNS) : "p-orch-" + i;
      tick(
          warmUp
              ? "warm-up run " + (i + ORCHESTRATION_WARMUP_RUNS) + "/" + ORCHESTRATION_WARMUP_RUNS
              : "short run " + i + "/" + ORCHESTRATION_ONLY_RUNS);
      Instant launched = Instant.now();
      long t0 = System.nanoTime();
      c.launcher().launch(orchestrationSpec(id));
      long t1 = awaitSucceeded(c, id, RUN_TIMEOUT);
      double s = (t1 - t0) / 1e9;
      double out = s - inStageSeconds(c.repositories(), id);
      if (warmUp) {
        warmOutside.add(out);
        continue;
      }
      runs.add(s);
      outside.add(out);
      addSegments(segments, timeline(c, id, launched, launched.plusNanos(t1 - t0)));
    }
    json.put("warmup_outside_stages_s_runs", warmOutside);
    json.put("orchestration_runs", ORCHESTRATION_ONLY_RUNS);
    json.put("temporal_run_s_runs", runs);
    json.put("temporal_outside_stages_s", Median.of(outside));
    json.put("temporal_outside_stages_s_runs", outside);
    putSegments(json, segments);
  }

  /**
   * The shortest run through all five stages (2 steps or iterations each, 2 held-out clips): the
   * orchestration is the same as a longer run's, and each run takes seconds, not minutes.
   */
  private static RunSpec orchestrationSpec(String id) {
    return shortSpec(id, 2, 2, 2, Map.of("evaluate.heldOutClips", 2, "evaluate.sampleClips", 1));
  }

  private static Map<String, List<Double>> newSegments() {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    OrchestrationTimeline.SEGMENTS.forEach(k -> m.put(k, new ArrayList<>()));
    OrchestrationTimeline.WORKFLOW_TASKS.forEach(k -> m.put(k, new ArrayList<>()));
    return m;
  }

  private static void addSegments(Map<String, List<Double>> into, Map<String, Double> run) {
    run.forEach((k, v) -> into.get(k).add(v));
  }

  /** Medians per segment, and every run's value, under {@code temporal_outside_segments_s}. */
  private static void putSegments(Map<String, Object> json, Map<String, List<Double>> segments) {
    Map<String, Object> medians = new LinkedHashMap<>();
    segments.forEach((k, v) -> medians.put(k, Median.of(v)));
    json.put("temporal_outside_segments_s", medians);
    json.put("temporal_outside_segments_s_runs", segments);
  }

  /** Where one finished Temporal run's time outside its stage attempts went. */
  private static Map<String, Double> timeline(
      Connections c, String id, Instant launched, Instant returned) {
    List<OrchestrationTimeline.Attempt> attempts = new ArrayList<>();
    for (PipelineStage stage : PipelineStage.values()) {
      for (var a : c.repositories().stages().attempts(id, stage.slug())) {
        attempts.add(new OrchestrationTimeline.Attempt(a.startedAt(), a.endedAt()));
      }
    }
    return OrchestrationTimeline.segments(
        launched, returned, c.workflowClient().fetchHistory(id).getEvents(), attempts);
  }

  /** CPU seconds used so far by this JVM and its live descendants (workers, S3Proxy, ...). */
  private static double cpuSeconds() {
    return Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants())
        .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0))
        .sum();
  }

  private static List<Double> difference(List<Double> a, List<Double> b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i) - b.get(i));
    }
    return out;
  }

  /** (max - min) / min of {@code v}, in percent: how far runs of the same thing differ. */
  private static double spreadPct(List<Double> v) {
    double min = v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return 100 * (max - min) / min;
  }

  /** Sum over the run's stages of their attempts' durations (started_at to ended_at). */
  private static double inStageSeconds(Repositories repo, String runId) {
    double s = 0;
    for (PipelineStage stage : PipelineStage.values()) {
      for (var a : repo.stages().attempts(runId, stage.slug())) {
        if (a.endedAt() != null) {
          s += Duration.between(a.startedAt(), a.endedAt()).toNanos() / 1e9;
        }
      }
    }
    return s;
  }

  /**
   * DMD-LoRA with checkpoints every 5 steps (fine-tune reused from a warm-up run): once a
   * checkpoint at step >= 15 exists and the stage is 2 steps past its newest checkpoint, SIGKILL
   * the worker running it and time until the other worker records a step of its own. Steps lost are
   * the step reached minus the step the engine reported resuming at (the new attempt's start_step,
   * 0 if it started over), recorded with the newest checkpoint at kill time.
   */
  private void killAndResume(Connections c, String reuseFrom, Map<String, Object> json)
      throws InterruptedException {
    String id = "p-kill";
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("distill.dmdIterations", KILL_DMD_ITERATIONS);
    o.put("checkpoints.everySteps", KILL_CHECKPOINT_EVERY);
    o.put("heartbeatSeconds", KILL_HEARTBEAT_SECONDS);
    RunSpec spec =
        RunSpecOverrides.apply(RunSpecs.forPreset(PRESET, id), o)
            .withReuse(reuseFrom, PipelineStage.DMD_LORA)
            .withCache(false);
    Repositories repo = c.repositories();
    String stage = PipelineStage.DMD_LORA.slug();
    c.launcher().launch(spec);
    waitFor(
        "DMD-LoRA "
            + KILL_STEPS_PAST_CHECKPOINT
            + " steps past a checkpoint at step >= "
            + KILL_AFTER_CHECKPOINT_STEP,
        STEP_TIMEOUT,
        () -> {
          long cp = checkpointStep(repo, id, stage);
          return cp >= KILL_AFTER_CHECKPOINT_STEP
              && metricStep(repo, id, stage) >= cp + KILL_STEPS_PAST_CHECKPOINT;
        });
    AttemptRow running =
        repo.stages().attempts(id, stage).stream()
            .filter(a -> a.outcome() == AttemptOutcome.RUNNING)
            .reduce((a, b) -> b)
            .orElseThrow(() -> new IllegalStateException(id + ": no running DMD-LoRA attempt"));
    Process victim = workers.byIdentity(running.worker());
    victim.destroyForcibly(); // SIGKILL
    long tKill = System.nanoTime();
    victim.waitFor();
    long reached = metricStep(repo, id, stage);
    // Read once the worker is gone: the newest checkpoint it recorded, what a resume should use.
    CheckpointRow atKill =
        repo.checkpoints().checkpoints(id, stage).stream()
            .filter(cp -> cp.objectKey().contains("/generator/"))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new IllegalStateException(id + ": no DMD-LoRA checkpoint"));
    AttemptRow[] next = new AttemptRow[1];
    waitFor(
        "a new DMD-LoRA attempt",
        STEP_TIMEOUT,
        () -> {
          var all = repo.stages().attempts(id, stage);
          next[0] = all.get(all.size() - 1).id() > running.id() ? all.get(all.size() - 1) : null;
          return next[0] != null;
        });
    double toAttempt = (System.nanoTime() - tKill) / 1e9;
    Instant since = next[0].startedAt();
    waitFor(
        "the new attempt's first step",
        STEP_TIMEOUT,
        () -> !repo.metrics().metricsRecordedSince(id, stage, DMD_METRIC, since).isEmpty());
    double resume = (System.nanoTime() - tKill) / 1e9;
    // start_step is what the engine reported restoring (0 if it started over); its first step
    // recorded is the cross-check.
    AttemptRow resumed =
        repo.stages().attempts(id, stage).stream()
            .filter(a -> a.id() == next[0].id())
            .findFirst()
            .get();
    long firstNewStep =
        repo.metrics().metricsRecordedSince(id, stage, DMD_METRIC, since).stream()
            .mapToLong(MetricPoint::step)
            .min()
            .orElseThrow();
    c.pipeline().cancel(id, "benchmark: resume measured");
    awaitTerminal(c, id, STEP_TIMEOUT);
    json.put("resume_after_kill_s", resume);
    json.put("steps_lost_on_kill", reached - resumed.startStep());
    json.put("heartbeat_timeout_s", KILL_HEARTBEAT_SECONDS);
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("checkpoint_every_steps", KILL_CHECKPOINT_EVERY);
    k.put("newest_checkpoint_at_kill", atKill.step());
    k.put("newest_checkpoint_key_at_kill", atKill.objectKey());
    k.put("reached", reached);
    k.put("resumed_start_step", resumed.startStep());
    k.put("resumed_from", resumed.resumedFrom());
    k.put("first_step_after_resume", firstNewStep);
    k.put(
        "resumed_from_newest_checkpoint",
        resumed.startStep() == atKill.step() && atKill.objectKey().equals(resumed.resumedFrom()));
    k.put("kill_to_new_attempt_s", toAttempt);
    k.put("killed_worker", running.worker());
    k.put("resumed_worker", resumed.worker());
    k.put("resumed_attempt", resumed.attempt());
    json.put("kill", k);
    LOG.info(
        "killed {} at step {}; resumed at {} after {} s",
        running.worker(),
        reached,
        resumed.startStep(),
        fmt(resume));
  }

  // ------------------------------------------------------------------ workers and runs

  private DirectPipeline direct(Connections c, Path dir) throws IOException {
    Path scratch = dir.resolve("bench-scratch");
    Files.createDirectories(scratch);
    return new DirectPipeline(
        c.store(), c.repositories(), scratch, "bench-" + ProcessHandle.current().pid());
  }

  /**
   * Waits for the run's result and checks it succeeded; returns {@link System#nanoTime} when the
   * wait returned (the run's end as its caller sees it, before this check's own query).
   */
  private static long awaitSucceeded(Connections c, String id, Duration timeout) {
    try {
      c.pipeline().await(id, timeout);
    } catch (TimeoutException e) {
      throw new IllegalStateException(id + " did not finish within " + timeout, e);
    }
    long returned = System.nanoTime();
    RunStatus status = c.repositories().runs().findRun(id).map(RunRow::status).orElse(null);
    if (status != RunStatus.SUCCEEDED) {
      throw new IllegalStateException(
          id + " ended " + (status == null ? "?" : status) + ", not SUCCEEDED");
    }
    return returned;
  }

  private static void awaitTerminal(Connections c, String id, Duration timeout)
      throws InterruptedException {
    waitFor(
        id + " to end",
        timeout,
        () -> c.repositories().runs().findRun(id).map(r -> r.status().isTerminal()).orElse(false));
  }

  private static long checkpointStep(Repositories repo, String id, String stage) {
    return repo.checkpoints().checkpoints(id, stage).stream()
        .mapToLong(CheckpointRow::step)
        .max()
        .orElse(0);
  }

  private static long metricStep(Repositories repo, String id, String stage) {
    var points = repo.metrics().metrics(id, stage, DMD_METRIC);
    return points.isEmpty() ? 0 : points.get(points.size() - 1).step();
  }

  private static void waitFor(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(POLL_MS);
    }
  }

  private void tick(String message) {
    LOG.info("pipeline benchmark: {}", message);
    progress.step(++step, message);
  }

  // ------------------------------------------------------------------ report

  static Map<String, Object> targets(Map<String, Object> json) {
    Map<String, Object> t = new LinkedHashMap<>();
    if (isOrchestrationOnly(json)) {
      t.put("temporal_outside_stages_s", outsideTarget(json));
      return t;
    }
    t.put(
        "checkpoint_vs_raw_pct",
        target(
            ">= " + fmt(CHECKPOINT_TARGET_PCT),
            num(json, "checkpoint_vs_raw_pct") >= CHECKPOINT_TARGET_PCT));
    if (isCheckpointOnly(json)) {
      return t;
    }
    t.put(
        "pipeline_overhead_pct",
        target(
            "< " + fmt(OVERHEAD_TARGET_PCT),
            num(json, "pipeline_overhead_pct") < OVERHEAD_TARGET_PCT));
    t.put("temporal_outside_stages_s", outsideTarget(json));
    t.put(
        "steps_lost_on_kill",
        target(
            "<= " + KILL_CHECKPOINT_EVERY + " (one checkpoint interval)",
            num(json, "steps_lost_on_kill") <= KILL_CHECKPOINT_EVERY));
    return t;
  }

  private static Map<String, Object> outsideTarget(Map<String, Object> json) {
    return target(
        "<= " + OUTSIDE_STAGES_TARGET_S + " s per run",
        num(json, "temporal_outside_stages_s") <= OUTSIDE_STAGES_TARGET_S);
  }

  /** Whether {@code json} holds only the checkpoint measurement ({@code --only checkpoint}). */
  static boolean isCheckpointOnly(Map<String, Object> json) {
    return !json.containsKey("pipeline_overhead_pct") && !isOrchestrationOnly(json);
  }

  /** Whether {@code json} holds only short runs' orchestration ({@code --only orchestration}). */
  static boolean isOrchestrationOnly(Map<String, Object> json) {
    return !json.containsKey("pipeline_overhead_pct") && json.containsKey("orchestration_runs");
  }

  private static Map<String, Object> target(String target, boolean met) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", target);
    m.put("met", met);
    return m;
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Pipeline benchmark (`").append(json.get("command")).append("`)\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Preset %s, %s cores, OMP_NUM_THREADS %s in every JVM, load average %.2f at start,"
                + " wall %.0f s.",
            json.get("preset"),
            json.get("cores"),
            json.get("omp_num_threads"),
            num(json, "load_average_at_start"),
            num(json, "wall_s")));
    String note = (String) json.get("machine_note");
    if (note != null && !note.isBlank()) {
      sb.append("\n\n**Machine:** ").append(note);
    }
    sb.append("\n\n| measurement | value | runs |\n|---|---|---|\n");
    if (isCheckpointOnly(json)) {
      checkpointRows(sb, json);
      sb.append("\n");
      targetLines(sb, json);
      sb.append("\n").append(checkpointReading(json));
      sb.append("\nMethod. ").append(checkpointMethod(json)).append("\n");
      return sb.toString();
    }
    if (isOrchestrationOnly(json)) {
      row(sb, "short run through Temporal (s), median", json, "temporal_run_s", "%.1f");
      row(sb, "wall outside stage attempts (s)", json, "temporal_outside_stages_s", "%.2f");
      segmentRows(sb, json);
      warmUpRow(sb, json);
      sb.append("\n");
      targetLines(sb, json);
      sb.append(
          "\nMethod. One warm worker JVM ("
              + warmUpRuns(json, "a short warm-up run first")
              + "), then "
              + json.get("orchestration_runs")
              + " short runs of all five stages through Temporal, one after another, stage cache"
              + " off (fine-tune 2 + 2 steps, 2 DMD-LoRA and 2 W2S iterations, 2 held-out"
              + " clips). "
              + SEGMENTS_METHOD
              + "\n");
      return sb.toString();
    }
    row(sb, "launch to first training step (ms), median", json, "start_to_first_step_ms", "%.0f");
    row(
        sb,
        "- of which launch to stage attempt start (ms)",
        json,
        "launch_to_attempt_start_ms",
        "%.0f");
    row(sb, "resume after SIGKILL (s)", json, "resume_after_kill_s", "%.1f");
    Map<String, Object> kill = (Map<String, Object>) json.get("kill");
    sb.append(
        String.format(
            Locale.ROOT,
            "| - of which until the new attempt started (s) | %.1f | |%n",
            num(kill, "kill_to_new_attempt_s")));
    sb.append(
        String.format(
            Locale.ROOT,
            "| steps lost on kill (reached %s, resumed at %s) | %s | |%n",
            kill.get("reached"),
            kill.get("resumed_start_step"),
            json.get("steps_lost_on_kill")));
    sb.append("| heartbeat timeout (s) | ")
        .append(json.get("heartbeat_timeout_s"))
        .append(" | |\n");
    checkpointRows(sb, json);
    row(sb, "full smoke run through Temporal (s), median", json, "temporal_run_s", "%.1f");
    row(sb, "same five stages called directly (s), median", json, "direct_run_s", "%.1f");
    row(sb, "pipeline overhead, wall (%)", json, "pipeline_overhead_pct", "%.1f");
    row(sb, "- Temporal: time inside stage attempts (s)", json, "temporal_in_stage_s", "%.1f");
    row(sb, "- direct: time inside stage attempts (s)", json, "direct_in_stage_s", "%.1f");
    row(
        sb,
        "- Temporal: wall outside stage attempts (s)",
        json,
        "temporal_outside_stages_s",
        "%.2f");
    segmentRows(sb, json);
    warmUpRow(sb, json);
    row(sb, "- direct: wall outside stage attempts (s)", json, "direct_outside_stages_s", "%.2f");
    row(
        sb,
        "- orchestration overhead, outside stages (%)",
        json,
        "orchestration_overhead_pct",
        "%.1f");
    row(sb, "- Temporal: CPU of our processes (s)", json, "temporal_cpu_s", "%.1f");
    row(sb, "- direct: CPU of our processes (s)", json, "direct_cpu_s", "%.1f");
    row(sb, "- CPU overhead (%)", json, "cpu_overhead_pct", "%.1f");
    row(sb, "- load average after each Temporal run", json, "temporal_load_average", "%.2f");
    row(sb, "- load average after each direct run", json, "direct_load_average", "%.2f");
    row(sb, "spread of the two direct runs (%)", json, "direct_run_spread_pct", "%.0f");
    row(sb, "spread of the two Temporal runs (%)", json, "temporal_run_spread_pct", "%.0f");
    sb.append("\n");
    targetLines(sb, json);
    sb.append(reading(json));
    sb.append(
        "\nMethod. Every timed run has the stage cache off. Before timing, two worker JVMs each"
            + " ran a short warm-up run of all five stages (started together, so each worker took"
            + " one)"
            + (json.get("warmup_outside_stages_s_runs") instanceof List<?> l
                ? ", then "
                    + l.size()
                    + " of the shortest runs, two at a time, as a long-lived pipeline worker has"
                    + " handled runs before (the first runs' workflow tasks take up to twice as"
                    + " long; their times outside stage attempts are listed apart),"
                : "")
            + " and the benchmark JVM ran the same run directly: JIT and libtorch are warm on"
            + " both sides, and every JVM runs libtorch with the same OMP_NUM_THREADS. Launch to"
            + " first step: a warm worker, 3 launches, each cancelled after its first step; it"
            + " includes the fine-tune stage's dataset synthesis and upload. Kill: DMD-LoRA with"
            + " checkpoints every "
            + KILL_CHECKPOINT_EVERY
            + " steps (fine-tune reused from a warm-up run); the worker running it is SIGKILLed "
            + KILL_STEPS_PAST_CHECKPOINT
            + " steps past its newest checkpoint (at step >= "
            + KILL_AFTER_CHECKPOINT_STEP
            + "), and resume is timed to the first step the standby worker records; the heartbeat"
            + " timeout is most of it. "
            + checkpointMethod(json)
            + " Overhead: the direct"
            + " runs execute the five stages through StageRunner in the benchmark JVM (same S3 and"
            + " PostgreSQL, no workflow, no heartbeats); the Temporal runs execute in a worker"
            + " JVM; order D T T D. Wall outside stage attempts is the orchestration (workflow"
            + " tasks, bookkeeping as local activities, dispatch); CPU is this JVM plus its child processes"
            + " (workers, S3Proxy; PostgreSQL runs detached and is not counted). On a"
            + " shared machine the wall and CPU times of the stages both move with the other"
            + " programs' load (the stages are single-threaded compute); the time outside stage"
            + " attempts is waiting and barely moves, so when two identical runs differ by more"
            + " than the wall-time overhead, that row is the one to read.\n");
    return sb.toString();
  }

  static final String SEGMENTS_METHOD =
      "Outside stage attempts = launch to result minus the attempts' own time (start to end as"
          + " the stage activity records them); its segments come from the workflow's history"
          + " (the Temporal server's event times) and the attempts: launch = the launch call until"
          + " the workflow started; before dispatch = workflow started, or the previous stage's"
          + " activity completed, until the next activity was scheduled (workflow tasks,"
          + " bookkeeping local activities); dispatch = scheduled until the attempt recorded its"
          + " start; completion = the attempt recorded its end until the activity completed;"
          + " finish = the last activity completed until the workflow completed; result = until"
          + " the wait for the result returned. Each is summed over the run's five stages; the"
          + " medians are per segment. Of before dispatch and finish: the workflow tasks, waiting"
          + " (scheduled until the pipeline worker started it) and running (started until"
          + " completed: the workflow code and its bookkeeping local activities).";

  /** One row per segment of the Temporal runs' time outside stage attempts, if recorded. */
  @SuppressWarnings("unchecked")
  /** The warm-up short runs' time outside stage attempts, when the results have them. */
  private static void warmUpRow(StringBuilder sb, Map<String, Object> json) {
    if (json.containsKey("warmup_outside_stages_s_runs")) {
      row(
          sb,
          "  - warm-up short runs before timing, outside stage attempts (s)",
          json,
          "warmup_outside_stages_s",
          "%.2f");
    }
  }

  /**
   * How the workers were warmed: {@code before} for results from before the warm-up short runs,
   * else their count.
   */
  private static String warmUpRuns(Map<String, Object> json, String before) {
    if (!(json.get("warmup_outside_stages_s_runs") instanceof List<?> l)) {
      return before;
    }
    return l.size()
        + " short warm-up runs first, their times outside stage attempts listed apart; the first"
        + " also waits for the worker JVM to start";
  }

  private static void segmentRows(StringBuilder sb, Map<String, Object> json) {
    Object medians = json.get("temporal_outside_segments_s");
    if (!(medians instanceof Map<?, ?>)) {
      return;
    }
    Map<String, Object> runs = (Map<String, Object>) json.get("temporal_outside_segments_s_runs");
    List<String> keys = new ArrayList<>(OrchestrationTimeline.SEGMENTS);
    keys.addAll(OrchestrationTimeline.WORKFLOW_TASKS);
    for (String k : keys) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put(k, ((Map<String, Object>) medians).get(k));
      one.put(k + "_runs", runs.get(k));
      String indent = OrchestrationTimeline.WORKFLOW_TASKS.contains(k) ? "    - of which " : "  - ";
      row(sb, indent + k.replace('_', ' ') + " (s)", one, k, "%.3f");
    }
  }

  private static void checkpointRows(StringBuilder sb, Map<String, Object> json) {
    row(sb, "checkpoint tensor file (MB)", json, "checkpoint_mb", "%.1f");
    row(sb, "checkpoint save to S3 (MB/s), median", json, "checkpoint_put_mb_s", "%.1f");
    row(sb, "raw S3 put, same bytes (MB/s), median", json, "raw_s3_put_mb_s", "%.1f");
    row(sb, "checkpoint vs raw (%), median of the pairs", json, "checkpoint_vs_raw_pct", "%.0f");
    row(sb, "- ratio of the two medians (%)", json, "checkpoint_vs_raw_pct_of_medians", "%.0f");
    if (json.containsKey("checkpoint_vs_raw_pct_raw_first")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| - pairs with the save first / raw put first (%%) | %.0f / %.0f |  |%n",
              num(json, "checkpoint_vs_raw_pct_save_first"),
              num(json, "checkpoint_vs_raw_pct_raw_first")));
    }
    row(sb, "- save: tensor file upload (ms), median", json, "checkpoint_tensor_put_ms", "%.0f");
    row(sb, "- save: manifest put (ms), median", json, "checkpoint_manifest_put_ms", "%.0f");
    row(sb, "- save: latest pointer put (ms), median", json, "checkpoint_pointer_put_ms", "%.0f");
    row(sb, "ObjectStore.put of the same bytes (MB/s), median", json, "store_put_mb_s", "%.1f");
    row(sb, checksumName(json) + " of the bytes (ms), median", json, checksumKey(json), "%.0f");
  }

  @SuppressWarnings("unchecked")
  private static void targetLines(StringBuilder sb, Map<String, Object> json) {
    ((Map<String, Object>) json.get("targets"))
        .forEach(
            (k, v) -> {
              Map<String, Object> t = (Map<String, Object>) v;
              sb.append(
                  String.format(
                      Locale.ROOT,
                      "- `%s` %s: **%s** (%s)%n",
                      k,
                      t.get("target"),
                      Boolean.TRUE.equals(t.get("met")) ? "met" : "not met",
                      fmt(num(json, k))));
            });
  }

  /** Where the time goes, in words: the checkpoint gap and the overhead against the noise. */
  static String reading(Map<String, Object> json) {
    double overhead = num(json, "pipeline_overhead_pct");
    double spread =
        Math.max(num(json, "direct_run_spread_pct"), num(json, "temporal_run_spread_pct"));
    StringBuilder sb = new StringBuilder("\n").append(checkpointReading(json));
    sb.append(
        String.format(
            Locale.ROOT,
            "- Overhead: two identical runs differed by up to %.0f%%, %s the wall-time"
                + " overhead of %.1f%%. Outside the stage attempts Temporal runs spent %.2f s"
                + " (direct %.2f s), %.1f%% of a direct run; their CPU was %.1f%% above the direct"
                + " runs'.%n",
            spread,
            spread > Math.abs(overhead) ? "more than" : "less than",
            overhead,
            num(json, "temporal_outside_stages_s"),
            num(json, "direct_outside_stages_s"),
            num(json, "orchestration_overhead_pct"),
            num(json, "cpu_overhead_pct")));
    return sb.toString();
  }

  /** The checkpoint line of the reading: the save against the raw put, and its parts. */
  static String checkpointReading(Map<String, Object> json) {
    double mb = num(json, "checkpoint_mb");
    double saveMs = 1000 * mb / num(json, "checkpoint_put_mb_s");
    double putMs = 1000 * mb / num(json, "store_put_mb_s");
    double rawMs = 1000 * mb / num(json, "raw_s3_put_mb_s");
    return String.format(
        Locale.ROOT,
        "- Checkpoint: a save takes %.0f ms (medians) against %.0f ms for a raw put and %.0f ms"
            + " for ObjectStore.put of the same bytes from memory (%+.0f ms against the raw put);"
            + " of the save, the tensor upload with its streamed encoding and %s (%.0f ms on"
            + " its own) took %.0f ms; the manifest put (%.0f ms) and the latest pointer put (%.0f"
            + " ms) ran beside it, from the moment the %s was known (a resume checks the hash,"
            + " so neither may follow a tensor file that is not complete).%n",
        saveMs,
        rawMs,
        putMs,
        saveMs - rawMs,
        checksumName(json),
        num(json, checksumKey(json)),
        num(json, "checkpoint_tensor_put_ms"),
        num(json, "checkpoint_manifest_put_ms"),
        num(json, "checkpoint_pointer_put_ms"),
        checksumName(json));
  }

  /**
   * The tensor file's checksum a save computed: CRC-32C, or sha256 in results written before the
   * checkpoint format /2.
   */
  private static String checksumName(Map<String, Object> json) {
    return "crc32c".equals(json.get("checksum")) ? "CRC-32C" : "sha256";
  }

  private static String checksumKey(Map<String, Object> json) {
    return json.containsKey("checksum_ms") ? "checksum_ms" : "sha256_ms";
  }

  private static String checkpointMethod(Map<String, Object> json) {
    return "Checkpoint: a paper-preset fine-tune checkpoint (weights, EMA, AdamW moments); save ="
        + " the safetensors encoding and its "
        + checksumName(json)
        + " streamed into one upload of the tensor file, with the manifest and the latest pointer"
        + " put beside it once the "
        + checksumName(json)
        + " is known; the"
        + " save ends when all three are complete; raw = one MinIO uploadObject of the same"
        + " tensor file with the same part size through one client kept open (as the store keeps"
        + " its own), to the same S3Proxy; "
        + json.get("checkpoint_repetitions")
        + " repetitions after "
        + CheckpointThroughput.WARMUP_ROUNDS
        + " warm-up rounds, each a pair of both, alternating which goes first, every timed put"
        + " after a pause of "
        + CheckpointThroughput.SETTLE_MS
        + " ms (S3Proxy done with the previous one);"
        + " checkpoint vs raw is the median of the pairs' ratios (each save against the raw put"
        + " right next to it, so load that changes over the measurement cancels), the ratio of"
        + " the medians is shown too; every sample listed; MB = 2^20 bytes.";
  }

  /** A table row: the value (or median) under {@code key}, the raw list under key_runs. */
  private static void row(
      StringBuilder sb, String label, Map<String, Object> json, String key, String pattern) {
    Object runs = json.get(key + "_runs");
    Object v = json.get(key);
    if (v == null && runs instanceof List<?> l && !l.isEmpty()) {
      List<Double> d = l.stream().map(x -> ((Number) x).doubleValue()).toList();
      v = Median.of(d);
    }
    sb.append("| ").append(label).append(" | ");
    sb.append(v == null ? "-" : String.format(Locale.ROOT, pattern, ((Number) v).doubleValue()));
    sb.append(" | ");
    if (runs instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object x : l) {
        parts.add(String.format(Locale.ROOT, pattern, ((Number) x).doubleValue()));
      }
      sb.append(String.join(", ", parts));
    }
    sb.append(" |\n");
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
