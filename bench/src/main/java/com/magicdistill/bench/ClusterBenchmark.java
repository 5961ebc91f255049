package com.magicdistill.bench;

import com.magicdistill.activities.RunSpecOverrides;
import com.magicdistill.activities.RunSpecs;
import com.magicdistill.db.ApiTokenRepository;
import com.magicdistill.db.ApiTokens;
import com.magicdistill.db.AttemptRow;
import com.magicdistill.db.CheckpointRow;
import com.magicdistill.db.MetricPoint;
import com.magicdistill.db.Repositories;
import com.magicdistill.db.RunRow;
import com.magicdistill.platform.Connections;
import com.magicdistill.platform.ConsoleProcess;
import com.magicdistill.platform.EmbeddedDatabase;
import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.S3ProxyServer;
import com.magicdistill.platform.TemporalServerProcess;
import com.magicdistill.platform.WorkerSettings;
import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.StageStatus;
import com.magicdistill.workflows.TaskQueues;
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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code magic bench cluster}: the pipeline as a cluster runs it, every service its own process on
 * loopback: PostgreSQL (the embedded binaries' postmaster), S3Proxy and the Temporal test server
 * (each a child JVM), one pipeline worker ({@code pipeline} role) and two stage workers ({@code
 * stages} role) as worker JVMs, and the console (its runnable jar) in a JVM of its own. During one
 * short run of all five stages it injects, one after the other, in DMD-LoRA:
 *
 * <ol>
 *   <li>{@code kill -9} of the stage worker running the stage (a replacement worker is started);
 *   <li>SIGTERM of the stage worker running it (it drains; a replacement is started);
 *   <li>a PostgreSQL stop and start on the same data directory and port;
 *   <li>S3 stopped for {@value #S3_OUTAGE_SECONDS} s;
 * </ol>
 *
 * then a second run whose fine-tune stage fails on purpose ({@code MAGIC_FAULT_STAGE_ERROR} on the
 * stage workers). Recovery times and steps lost come from PostgreSQL's rows: attempt start and end,
 * the step each attempt resumed at against the newest checkpoint before the fault. Writes {@code
 * cluster.json} and {@code cluster.md}. Throughout the run the console is asked for it ({@code GET
 * /api/v1/runs/{id}} with a team token, every {@value #CONSOLE_POLL_MS} ms): what it answered
 * during each fault goes into the results.
 */
public final class ClusterBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterBenchmark.class);

  static final String PRESET = "smoke";
  static final int EVERY = 4;
  static final int DMD_ITERATIONS = 64;
  static final int HEARTBEAT_SECONDS = 4;
  static final int S3_OUTAGE_SECONDS = 20;
  static final double DRAIN_NEXT_ATTEMPT_TARGET_S = 5;
  static final int ERROR_ATTEMPTS = 3;
  static final String FAULT_RUN = "c-faults";
  static final String ERROR_RUN = "c-error";
  static final long CONSOLE_POLL_MS = 500;
  private static final String DMD = PipelineStage.DMD_LORA.slug();
  private static final String LOSS = "generator.loss";
  private static final long POLL_MS = 20;

  private final Path resultsDir;
  private final Path home;
  private final Progress progress;
  // per fault, in order: from the fault to the end of its recovery (what the console is judged on)
  private final List<Instant[]> faultWindows = new ArrayList<>();
  private WorkerJvms workers;
  private ConsoleWatch watch;
  private Instant[] databaseDown;
  private int step;
  private EmbeddedDatabase database;
  private S3ProxyServer s3;
  private Connections c;
  private long lastResumeStep;

  /**
   * @param home folder for every service's data and the logs, or null for a temporary folder
   *     deleted at the end
   */
  public ClusterBenchmark(Path resultsDir, Path home, Progress progress) {
    this.resultsDir = resultsDir;
    this.home = home;
    this.progress = progress;
  }

  /** A smoke-preset run shrunk like the end-to-end tests', with a DMD-LoRA long enough for four. */
  static RunSpec spec(String runId, int dmdIterations) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("fineTune.baseSteps", 24);
    o.put("fineTune.steps", 16);
    o.put("distill.dmdIterations", dmdIterations);
    o.put("distill.w2sIterations", 6);
    o.put("evaluate.heldOutClips", 6);
    o.put("checkpoints.everySteps", EVERY);
    o.put("heartbeatSeconds", HEARTBEAT_SECONDS);
    return RunSpecOverrides.apply(RunSpecs.forPreset(PRESET, runId), o).withCache(false);
  }

  public Map<String, Object> run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    Path dir = home != null ? home : Files.createTempDirectory("magic-bench-cluster");
    Map<String, Object> json = new LinkedHashMap<>();
    // the code this JVM runs: the tree as it was built, before anything changed it meanwhile
    json.put("code", CodeRevision.current().toMap());
    String omp = System.getenv("OMP_NUM_THREADS");
    json.put(
        "command", (omp == null ? "" : "OMP_NUM_THREADS=" + omp + " ") + "./magic bench cluster");
    json.put("preset", PRESET);
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("omp_num_threads", omp == null ? "unset (libtorch default)" : omp);
    json.put(
        "load_average_at_start",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("dmd_iterations", DMD_ITERATIONS);
    shape.put("checkpoint_every_steps", EVERY);
    shape.put("heartbeat_seconds", HEARTBEAT_SECONDS);
    shape.put("s3_outage_seconds", S3_OUTAGE_SECONDS);
    shape.put("error_attempts", ERROR_ATTEMPTS);
    json.put("run_shape", shape);
    progress.start("cluster benchmark", 10);
    PlatformConfig config =
        PlatformConfig.embeddedDefaults(
            dir, S3ProxyServer.freePort(), S3ProxyServer.freePort(), S3ProxyServer.freePort());
    int dbPort = Integer.parseInt(config.database().jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
    TemporalServerProcess temporal = null;
    ConsoleProcess console = null;
    workers =
        new WorkerJvms(
            config,
            dir,
            Map.of(
                "OMP_NUM_THREADS",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "1"),
                WorkerSettings.FAULT_STAGE_ERROR,
                ERROR_RUN + "/" + PipelineStage.FINE_TUNE.slug()),
            Duration.ofSeconds(60));
    try {
      tick("services");
      database =
          EmbeddedDatabase.start(dir.resolve("postgres"), dbPort, config.database().password());
      s3 =
          S3ProxyServer.start(
              dir.resolve("s3"),
              Integer.parseInt(config.s3().endpoint().replaceAll(".*:(\\d+)$", "$1")),
              config.s3().accessKey(),
              config.s3().secretKey());
      temporal = TemporalServerProcess.start(config.temporal().port(), dir.resolve("temporal.log"));
      c = new Connections(config);
      json.put("processes", processes(temporal));
      tick("workers and the console");
      console = ConsoleProcess.start(config, S3ProxyServer.freePort(), false);
      workers.spawn("pipeline", List.of(TaskQueues.PIPELINE, "1", "pipeline"));
      workers.spawn("stages-1", stageArgs());
      workers.spawn("stages-2", stageArgs());
      awaitServing(List.of("pipeline", "stages-1", "stages-2"));
      if (!console.awaitReady(Duration.ofMinutes(5))) {
        throw new IllegalStateException(
            "the console did not answer its health check within 5 minutes: see "
                + dir.resolve("logs").resolve("console.log").getFileName()
                + " under the benchmark's folder");
      }
      long t0 = System.nanoTime();
      launch(spec(FAULT_RUN, DMD_ITERATIONS));
      watch =
          new ConsoleWatch(
                  console.url(), consoleToken(), FAULT_RUN, Duration.ofMillis(CONSOLE_POLL_MS))
              .start();
      List<Map<String, Object>> faults = new ArrayList<>();
      tick("kill -9 a stage worker");
      faults.add(kill());
      tick("SIGTERM a stage worker");
      faults.add(drain());
      tick("restart PostgreSQL");
      faults.add(restartDatabase(dbPort, config.database().password()));
      tick("stop S3 for " + S3_OUTAGE_SECONDS + " s");
      faults.add(s3Outage());
      json.put("faults", faults);
      tick("run to the end");
      awaitEnd(FAULT_RUN, Duration.ofMinutes(20));
      json.put("fault_run", faultRunSummary((System.nanoTime() - t0) / 1e9));
      json.put("console", consoleSummary(faults, console));
      tick("deterministic stage error");
      json.put("error_run", errorRun());
    } finally {
      if (watch != null) {
        watch.close();
      }
      if (console != null) {
        console.close();
      }
      workers.close();
      if (c != null) {
        c.close();
      }
      if (temporal != null) {
        temporal.close();
      }
      if (s3 != null) {
        s3.close();
      }
      if (database != null) {
        database.close();
      }
      progress.end();
      if (home == null) {
        BenchResults.deleteQuietly(dir);
      }
    }
    json.put("wall_s", (System.nanoTime() - start) / 1e9);
    json.put("targets", targets(json));
    BenchResults.write(resultsDir, "cluster", json, markdown(json));
    return json;
  }

  private static List<String> stageArgs() {
    return List.of(TaskQueues.GPU, "1", "stages");
  }

  private List<Map<String, Object>> processes(TemporalServerProcess temporal) {
    List<Map<String, Object>> p = new ArrayList<>();
    p.add(process("postgresql", "the embedded PostgreSQL binaries' postmaster"));
    p.add(process("s3proxy", "S3Proxy " + S3ProxyServer.VERSION + " in a child JVM"));
    p.add(process("temporal", "the Temporal Java SDK test server in a child JVM"));
    p.add(process("pipeline worker", "./magic worker --role pipeline (a worker JVM)"));
    p.add(process("stage workers", "2 x ./magic worker --role stages --queue gpu --slots 1"));
    p.add(process("console", "the console's runnable jar (./magic console) in its own JVM"));
    return p;
  }

  private static Map<String, Object> process(String name, String what) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("what", what);
    return m;
  }

  // ------------------------------------------------------------------ faults

  /** SIGKILL of the worker running DMD-LoRA; a replacement stage worker is started after it. */
  private Map<String, Object> kill() throws IOException, InterruptedException {
    AttemptRow running = awaitMidStage("kill");
    Process victim = workers.byIdentity(running.worker());
    Instant at = Instant.now();
    victim.destroyForcibly(); // SIGKILL
    victim.waitFor();
    long reached = metricStep();
    CheckpointRow newest = newestCheckpoint();
    AttemptRow next = awaitAttemptAfter(running, Duration.ofMinutes(3));
    double toStep = awaitStepOf(next, at);
    faultWindows.add(new Instant[] {at, Instant.now()});
    String replacement = "stages-" + (workers.spawned() + 1);
    workers.spawn(replacement, stageArgs());
    awaitServing(List.of(replacement));
    AttemptRow resumed = attempt(next.id());
    Map<String, Object> f =
        fault("kill -9 of the stage worker running the stage", running, reached, newest, resumed);
    f.put("fault_to_next_attempt_s", seconds(at, resumed.startedAt()));
    f.put("fault_to_next_step_s", toStep);
    f.put("killed_attempt_outcome", attempt(running.id()).outcome().name());
    f.put("target", "steps lost <= " + EVERY + " (one checkpoint interval), another worker");
    f.put(
        "met",
        num(f, "steps_lost") <= EVERY
            && !running.worker().equals(resumed.worker())
            && Boolean.TRUE.equals(f.get("resumed_from_newest_checkpoint")));
    return f;
  }

  /** SIGTERM of the worker running DMD-LoRA: it checkpoints and hands over. */
  private Map<String, Object> drain() throws IOException, InterruptedException {
    AttemptRow running = awaitMidStage("drain");
    Process victim = workers.byIdentity(running.worker());
    Instant at = Instant.now();
    victim.destroy(); // SIGTERM: the worker drains
    AttemptRow next = awaitAttemptAfter(running, Duration.ofMinutes(3));
    double toStep = awaitStepOf(next, at);
    faultWindows.add(new Instant[] {at, Instant.now()});
    if (!victim.waitFor(90, TimeUnit.SECONDS)) {
      victim.destroyForcibly();
    }
    String replacement = "stages-" + (workers.spawned() + 1);
    workers.spawn(replacement, stageArgs());
    awaitServing(List.of(replacement));
    AttemptRow drained = attempt(running.id());
    long reached = drained.endStep() == null ? metricStep() : drained.endStep();
    CheckpointRow newest = newestCheckpointBefore(attempt(next.id()).startedAt());
    AttemptRow resumed = attempt(next.id());
    Map<String, Object> f =
        fault("SIGTERM of the stage worker running the stage", running, reached, newest, resumed);
    double gap =
        drained.endedAt() == null ? Double.NaN : seconds(drained.endedAt(), resumed.startedAt());
    f.put("drained_attempt_outcome", drained.outcome().name());
    f.put("drained_attempt_end_to_next_attempt_s", gap);
    f.put("fault_to_next_attempt_s", seconds(at, resumed.startedAt()));
    f.put("fault_to_next_step_s", toStep);
    f.put("target", "0 steps lost, next attempt within " + fmt(DRAIN_NEXT_ATTEMPT_TARGET_S) + " s");
    f.put(
        "met",
        num(f, "steps_lost") == 0
            && drained.outcome() == AttemptOutcome.DRAINED
            && gap <= DRAIN_NEXT_ATTEMPT_TARGET_S);
    return f;
  }

  /** PostgreSQL stopped (fast shutdown) and started again on the same data and port. */
  private Map<String, Object> restartDatabase(int port, String password)
      throws InterruptedException {
    AttemptRow running = awaitMidStage("database restart");
    long reached = metricStep();
    CheckpointRow newest = newestCheckpoint();
    Instant at = Instant.now();
    Path data = database.dataDir();
    database.close();
    database = EmbeddedDatabase.start(data, port, password);
    Instant up = Instant.now();
    // the next step recorded after the restart, by this attempt or a new one
    waitFor(
        "a DMD-LoRA step after the PostgreSQL restart",
        Duration.ofMinutes(5),
        () -> !c.repositories().metrics().metricsRecordedSince(FAULT_RUN, DMD, LOSS, up).isEmpty());
    double toStep = seconds(at, Instant.now());
    faultWindows.add(new Instant[] {at, Instant.now()});
    databaseDown = new Instant[] {at, up};
    List<AttemptRow> after =
        c.repositories().stages().attempts(FAULT_RUN, DMD).stream()
            .filter(a -> a.id() >= running.id())
            .toList();
    AttemptRow resumed = after.get(after.size() - 1);
    Map<String, Object> f = new LinkedHashMap<>();
    if (resumed.id() == running.id()) {
      // the attempt rode it out: nothing to resume
      f.put("fault", "PostgreSQL restarted mid-stage");
      f.put("stage", DMD);
      f.put("reached_step", reached);
      f.put("newest_checkpoint_step", newest.step());
      f.put("resumed_start_step", null);
      f.put("resumed_from_newest_checkpoint", null);
      f.put("steps_lost", 0);
      f.put("attempts_after_fault", 0);
      f.put("faulted_worker", running.worker());
      f.put("resumed_worker", running.worker());
    } else {
      f = fault("PostgreSQL restarted mid-stage", running, reached, newest, resumed);
    }
    f.put("database_down_s", seconds(at, up));
    f.put("fault_to_next_step_s", toStep);
    f.put("faulted_attempt_outcome", attempt(running.id()).outcome().name());
    f.put("target", "the run completes, no metadata lost (checked at the end of the run)");
    return f;
  }

  /** S3 down for {@value #S3_OUTAGE_SECONDS} s mid-stage. */
  private Map<String, Object> s3Outage() throws IOException, InterruptedException {
    AttemptRow running = awaitMidStage("S3 outage");
    Instant at = Instant.now();
    s3.stop();
    Thread.sleep(S3_OUTAGE_SECONDS * 1000L);
    long reached = metricStep();
    CheckpointRow newest = newestCheckpoint();
    s3.restart();
    Instant up = Instant.now();
    waitFor(
        "a DMD-LoRA step after S3 came back",
        Duration.ofMinutes(5),
        () -> {
          var a = lastAttempt();
          return !c.repositories()
              .metrics()
              .metricsRecordedSince(
                  FAULT_RUN, DMD, LOSS, a.startedAt().isAfter(up) ? a.startedAt() : up)
              .isEmpty();
        });
    double toStep = seconds(up, Instant.now());
    faultWindows.add(new Instant[] {at, Instant.now()});
    AttemptRow resumed = lastAttempt();
    Map<String, Object> f;
    if (resumed.id() == running.id()) {
      f = new LinkedHashMap<>();
      f.put("fault", "S3 stopped for " + S3_OUTAGE_SECONDS + " s mid-stage");
      f.put("stage", DMD);
      f.put("reached_step", reached);
      f.put("newest_checkpoint_step", newest.step());
      f.put("resumed_start_step", null);
      f.put("resumed_from_newest_checkpoint", null);
      f.put("steps_lost", 0);
      f.put("attempts_after_fault", 0);
      f.put("faulted_worker", running.worker());
      f.put("resumed_worker", running.worker());
    } else {
      f =
          fault(
              "S3 stopped for " + S3_OUTAGE_SECONDS + " s mid-stage",
              running,
              reached,
              newest,
              resumed);
    }
    f.put("s3_down_s", seconds(at, up));
    f.put("s3_back_to_next_step_s", toStep);
    f.put("faulted_attempt_outcome", attempt(running.id()).outcome().name());
    f.put("target", "the run completes");
    return f;
  }

  /** The common record of a fault: what was reached, what was resumed, steps lost. */
  private Map<String, Object> fault(
      String what, AttemptRow faulted, long reached, CheckpointRow newest, AttemptRow resumed) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("fault", what);
    f.put("stage", DMD);
    f.put("reached_step", reached);
    f.put("newest_checkpoint_step", newest.step());
    f.put("resumed_start_step", resumed.startStep());
    f.put(
        "resumed_from_newest_checkpoint",
        resumed.startStep() == newest.step() && newest.objectKey().equals(resumed.resumedFrom()));
    f.put("steps_lost", reached - resumed.startStep());
    f.put(
        "attempts_after_fault",
        c.repositories().stages().attempts(FAULT_RUN, DMD).stream()
            .filter(a -> a.id() > faulted.id())
            .count());
    f.put("faulted_worker", faulted.worker());
    f.put("resumed_worker", resumed.worker());
    lastResumeStep = resumed.startStep();
    return f;
  }

  // ------------------------------------------------------------------ the runs' rows

  /**
   * Waits until DMD-LoRA's running attempt is past a checkpoint {@value #EVERY} steps beyond the
   * last resume and 2 steps past its newest checkpoint (mid checkpoint interval).
   */
  private AttemptRow awaitMidStage(String fault) throws InterruptedException {
    long min = Math.max(lastResumeStep, metricStepQuietly()) + EVERY;
    AttemptRow[] running = new AttemptRow[1];
    waitFor(
        "DMD-LoRA mid-stage for the " + fault,
        Duration.ofMinutes(10),
        () -> {
          if (c.repositories()
              .runs()
              .findRun(FAULT_RUN)
              .map(r -> r.status().isTerminal())
              .orElse(false)) {
            throw new Aborted(FAULT_RUN + " ended before the " + fault + ": raise DMD_ITERATIONS");
          }
          long cp = newestCheckpoint() == null ? 0 : newestCheckpoint().step();
          if (cp < min || metricStep() < cp + 2) {
            return false;
          }
          AttemptRow a = lastAttempt();
          running[0] = a != null && a.outcome() == AttemptOutcome.RUNNING ? a : null;
          return running[0] != null;
        });
    LOG.info("{}: at step {} on {}", fault, metricStep(), running[0].worker());
    return running[0];
  }

  private AttemptRow awaitAttemptAfter(AttemptRow faulted, Duration timeout)
      throws InterruptedException {
    waitFor(
        "a DMD-LoRA attempt after " + faulted.id(),
        timeout,
        () -> lastAttempt().id() > faulted.id());
    return lastAttempt();
  }

  /** Seconds from {@code fault} to the first step {@code next} records. */
  private double awaitStepOf(AttemptRow next, Instant fault) throws InterruptedException {
    waitFor(
        "the first step of attempt " + next.id(),
        Duration.ofMinutes(3),
        () ->
            !c.repositories()
                .metrics()
                .metricsRecordedSince(FAULT_RUN, DMD, LOSS, next.startedAt())
                .isEmpty());
    return seconds(fault, Instant.now());
  }

  private AttemptRow attempt(long id) {
    return c.repositories().stages().attempts(FAULT_RUN, DMD).stream()
        .filter(a -> a.id() == id)
        .findFirst()
        .orElseThrow();
  }

  private AttemptRow lastAttempt() {
    List<AttemptRow> all = c.repositories().stages().attempts(FAULT_RUN, DMD);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private long metricStep() {
    List<MetricPoint> p = c.repositories().metrics().metrics(FAULT_RUN, DMD, LOSS);
    return p.isEmpty() ? 0 : p.get(p.size() - 1).step();
  }

  private long metricStepQuietly() {
    try {
      return metricStep();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private CheckpointRow newestCheckpoint() {
    return newestCheckpointBefore(null);
  }

  /** The newest generator checkpoint of DMD-LoRA (created before {@code before} if not null). */
  private CheckpointRow newestCheckpointBefore(Instant before) {
    return c.repositories().checkpoints().checkpoints(FAULT_RUN, DMD).stream()
        .filter(cp -> cp.objectKey().contains("/generator/"))
        .filter(cp -> before == null || cp.createdAt().isBefore(before))
        .max(java.util.Comparator.comparingLong(CheckpointRow::step))
        .orElse(null);
  }

  /** The fault run once it ended: status, attempts by outcome, metadata completeness. */
  private Map<String, Object> faultRunSummary(double wallS) {
    Repositories repo = c.repositories();
    RunRow run = repo.runs().findRun(FAULT_RUN).orElseThrow();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", FAULT_RUN);
    m.put("status", run.status().name());
    m.put("error", run.error());
    m.put("wall_s", wallS);
    Map<String, Object> stages = new LinkedHashMap<>();
    boolean settled = run.finishedAt() != null;
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    for (var s : repo.stages().stages(FAULT_RUN)) {
      stages.put(s.stage(), s.status().name());
      settled &= s.status() == StageStatus.SUCCEEDED;
      for (AttemptRow a : repo.stages().attempts(FAULT_RUN, s.stage())) {
        outcomes.merge(a.outcome().name(), 1, Integer::sum);
        settled &= a.endedAt() != null && a.outcome() != AttemptOutcome.RUNNING;
      }
    }
    m.put("stages", stages);
    m.put("attempts_by_outcome", outcomes);
    m.put("every_row_settled", settled);
    TreeSet<Long> steps = new TreeSet<>();
    repo.metrics().metrics(FAULT_RUN, DMD, LOSS).forEach(p -> steps.add(p.step()));
    List<Long> missing = new ArrayList<>();
    for (long s = 1; s <= DMD_ITERATIONS; s++) {
      if (!steps.contains(s)) {
        missing.add(s);
      }
    }
    m.put("dmd_loss_steps_recorded", steps.size());
    m.put("dmd_loss_steps_missing", missing);
    TreeSet<Long> cps = new TreeSet<>();
    repo.checkpoints().checkpoints(FAULT_RUN, DMD).stream()
        .filter(cp -> cp.objectKey().contains("/generator/"))
        .forEach(cp -> cps.add(cp.step()));
    List<Long> cpMissing = new ArrayList<>();
    for (long s = EVERY; s <= DMD_ITERATIONS; s += EVERY) {
      if (!cps.contains(s)) {
        cpMissing.add(s);
      }
    }
    m.put("dmd_checkpoint_rows", cps.size());
    m.put("dmd_checkpoint_steps_missing", cpMissing);
    m.put(
        "no_metadata_lost",
        run.status() == RunStatus.SUCCEEDED && settled && missing.isEmpty() && cpMissing.isEmpty());
    return m;
  }

  /**
   * A team token that may read runs, for the console watch (stored as its hash, as the API does).
   */
  private String consoleToken() {
    ApiTokens.NewToken t = ApiTokens.generate();
    new ApiTokenRepository(c.dataSource())
        .create(t, "default", "bench cluster", List.of("runs:read"), "bench", null);
    return t.token();
  }

  /**
   * What the console answered during each fault (its map gets a {@code console} entry) and while
   * PostgreSQL was down, and whether it shows the run's final status as PostgreSQL has it.
   */
  private Map<String, Object> consoleSummary(
      List<Map<String, Object>> faults, ConsoleProcess console) {
    for (int i = 0; i < faults.size() && i < faultWindows.size(); i++) {
      Instant[] w = faultWindows.get(i);
      faults.get(i).put("console", watch.between(w[0], w[1]));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "what", "GET /api/v1/runs/" + FAULT_RUN + " every " + CONSOLE_POLL_MS + " ms, team token");
    m.put("requests", watch.requests());
    m.put(
        "while_database_down",
        databaseDown == null ? null : watch.between(databaseDown[0], databaseDown[1]));
    ConsoleWatch.Sample end = watch.get();
    String status = c.repositories().runs().findRun(FAULT_RUN).orElseThrow().status().name();
    m.put("final_http_status", end.http());
    m.put("final_run_status", end.runStatus());
    m.put("alive_at_end", console.isAlive());
    boolean everyFault =
        faults.stream()
            .allMatch(
                f ->
                    f.get("console") instanceof Map<?, ?> cm
                        && ((Number) cm.get("answered_200")).intValue() > 0);
    m.put("met", everyFault && console.isAlive() && end.ok() && status.equals(end.runStatus()));
    return m;
  }

  /** A run whose fine-tune stage fails on purpose on every attempt. */
  private Map<String, Object> errorRun() throws InterruptedException {
    long t0 = System.nanoTime();
    launch(spec(ERROR_RUN, 6));
    awaitEnd(ERROR_RUN, Duration.ofMinutes(5));
    RunRow run = c.repositories().runs().findRun(ERROR_RUN).orElseThrow();
    String stage = PipelineStage.FINE_TUNE.slug();
    List<AttemptRow> attempts = c.repositories().stages().attempts(ERROR_RUN, stage);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", ERROR_RUN);
    m.put("injected_with", WorkerSettings.FAULT_STAGE_ERROR + "=" + ERROR_RUN + "/" + stage);
    m.put("status", run.status().name());
    m.put("error", run.error());
    m.put("attempts", attempts.size());
    m.put("attempt_outcomes", attempts.stream().map(a -> a.outcome().name()).toList());
    m.put(
        "first_attempt_start_to_last_attempt_end_s",
        attempts.isEmpty() || attempts.get(attempts.size() - 1).endedAt() == null
            ? null
            : seconds(attempts.get(0).startedAt(), attempts.get(attempts.size() - 1).endedAt()));
    m.put("launch_to_failed_s", (System.nanoTime() - t0) / 1e9);
    m.put(
        "met",
        run.status() == RunStatus.FAILED
            && attempts.size() == ERROR_ATTEMPTS
            && attempts.stream().allMatch(a -> a.outcome() == AttemptOutcome.FAILED)
            && run.error() != null
            && run.error().contains("injected stage error"));
    return m;
  }

  /**
   * Launches {@code spec}; if Temporal does not answer in time (a loaded machine), the run is
   * recorded already and the pipeline worker's reconciler submits it.
   */
  private void launch(RunSpec spec) {
    try {
      c.launcher().launch(spec);
    } catch (RuntimeException e) {
      if (c.repositories().runs().findRun(spec.runId()).isEmpty()) {
        throw e;
      }
      LOG.warn("{}: not submitted ({}); the reconciler submits it", spec.runId(), e.toString());
    }
  }

  /** Waits until each worker's log says it serves its queues (a JVM start on a loaded machine). */
  private void awaitServing(List<String> names) throws InterruptedException {
    for (String name : names) {
      waitFor(name + " to serve its queues", Duration.ofMinutes(5), () -> workers.serving(name));
    }
  }

  private void awaitEnd(String id, Duration timeout) throws InterruptedException {
    waitFor(
        id + " to end",
        timeout,
        () -> c.repositories().runs().findRun(id).map(r -> r.status().isTerminal()).orElse(false));
  }

  // ------------------------------------------------------------------ processes

  /** Polls {@code condition}; a failed poll (PostgreSQL restarting) counts as not yet. */
  private static void waitFor(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (Aborted e) {
        throw e;
      } catch (RuntimeException e) {
        // not reachable yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(POLL_MS);
    }
  }

  /** A wait that cannot succeed any more. */
  private static final class Aborted extends IllegalStateException {
    Aborted(String message) {
      super(message);
    }
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  private void tick(String message) {
    LOG.info("cluster benchmark: {}", message);
    progress.step(++step, message);
  }

  // ------------------------------------------------------------------ report

  @SuppressWarnings("unchecked")
  static Map<String, Object> targets(Map<String, Object> json) {
    Map<String, Object> t = new LinkedHashMap<>();
    for (Map<String, Object> f : (List<Map<String, Object>>) json.get("faults")) {
      if (f.containsKey("met")) {
        t.put((String) f.get("fault"), f.get("met"));
      }
    }
    Map<String, Object> run = (Map<String, Object>) json.get("fault_run");
    t.put("fault run completes with no metadata lost", run.get("no_metadata_lost"));
    Map<String, Object> err = (Map<String, Object>) json.get("error_run");
    t.put("stage error fails the run after " + ERROR_ATTEMPTS + " attempts", err.get("met"));
    Map<String, Object> console = (Map<String, Object>) json.get("console");
    t.put(
        "console serves the run during every fault and its final status",
        console == null ? false : console.get("met"));
    return t;
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Cluster test (`").append(json.get("command")).append("`)\n\n");
    Map<String, Object> shape = (Map<String, Object>) json.get("run_shape");
    sb.append(
        String.format(
            Locale.ROOT,
            "Preset %s shrunk (DMD-LoRA %s iterations, a checkpoint every %s steps, heartbeat"
                + " timeout %s s), %s cores, OMP_NUM_THREADS %s, load average %.2f at start, wall"
                + " %.0f s.%n%nProcesses, each its own on loopback:%n%n",
            json.get("preset"),
            shape.get("dmd_iterations"),
            shape.get("checkpoint_every_steps"),
            shape.get("heartbeat_seconds"),
            json.get("cores"),
            json.get("omp_num_threads"),
            num(json, "load_average_at_start"),
            num(json, "wall_s")));
    for (Map<String, Object> p : (List<Map<String, Object>>) json.get("processes")) {
      sb.append("- ").append(p.get("name")).append(": ").append(p.get("what")).append("\n");
    }
    if (json.get("console") instanceof String note) {
      // results from before the console joined the test
      sb.append("- console: ").append(note).append("\n");
    }
    sb.append("\n");
    sb.append(
        "| fault (in DMD-LoRA) | reached step | newest checkpoint | resumed at | from newest"
            + " checkpoint | steps lost | fault to next attempt (s) | to next step (s) |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> f : (List<Map<String, Object>>) json.get("faults")) {
      sb.append("| ").append(f.get("fault"));
      sb.append(" | ").append(f.get("reached_step"));
      sb.append(" | ").append(f.get("newest_checkpoint_step"));
      sb.append(" | ").append(orDash(f.get("resumed_start_step"), "kept running"));
      sb.append(" | ").append(orDash(f.get("resumed_from_newest_checkpoint"), "-"));
      sb.append(" | ").append(f.get("steps_lost"));
      sb.append(" | ").append(secondsCell(f.get("fault_to_next_attempt_s")));
      Object toStep =
          f.containsKey("fault_to_next_step_s")
              ? f.get("fault_to_next_step_s")
              : f.get("s3_back_to_next_step_s");
      sb.append(" | ").append(secondsCell(toStep));
      sb.append(" |\n");
    }
    sb.append("\n");
    for (Map<String, Object> f : (List<Map<String, Object>>) json.get("faults")) {
      sb.append("- ").append(f.get("fault")).append(": ").append(details(f)).append("\n");
    }
    if (json.get("console") instanceof Map<?, ?> console) {
      consoleSection(sb, json, (Map<String, Object>) console);
    }
    Map<String, Object> run = (Map<String, Object>) json.get("fault_run");
    sb.append(
        String.format(
            Locale.ROOT,
            "%nThe run: %s in %.0f s; stages %s; attempts %s; every row settled: %s; DMD-LoRA"
                + " loss rows %s of %s (missing %s), generator checkpoint rows missing at %s.%n",
            run.get("status"),
            num(run, "wall_s"),
            run.get("stages"),
            run.get("attempts_by_outcome"),
            run.get("every_row_settled"),
            run.get("dmd_loss_steps_recorded"),
            shape.get("dmd_iterations"),
            run.get("dmd_loss_steps_missing"),
            run.get("dmd_checkpoint_steps_missing")));
    Map<String, Object> err = (Map<String, Object>) json.get("error_run");
    sb.append(
        String.format(
            Locale.ROOT,
            "%nDeterministic stage error (`%s` on the stage workers): the run %s after %s"
                + " attempts (%s), %.1f s from launch; its error: \"%s\".%n",
            err.get("injected_with"),
            err.get("status"),
            err.get("attempts"),
            err.get("attempt_outcomes"),
            num(err, "launch_to_failed_s"),
            err.get("error")));
    sb.append("\nTargets:\n\n");
    ((Map<String, Object>) json.get("targets"))
        .forEach(
            (k, v) ->
                sb.append("- ")
                    .append(k)
                    .append(": **")
                    .append(Boolean.TRUE.equals(v) ? "met" : "not met")
                    .append("**\n"));
    sb.append(
        "\nMethod. One run of all five stages with the stage cache off; the faults come one after"
            + " the other in DMD-LoRA, each once the stage is 2 steps past a checkpoint at least "
            + shape.get("checkpoint_every_steps")
            + " steps beyond the previous fault. Every figure comes from PostgreSQL's rows:"
            + " attempt start and end (database clock, the same host clock as the benchmark's),"
            + " the step an attempt reports resuming at and the checkpoint it resumed from,"
            + " against the newest generator checkpoint recorded before the fault; steps lost ="
            + " reached step - resumed step. \"To next step\" is from the fault (S3: from S3"
            + " being back) to the first loss row the running attempt records after it, seen by"
            + " polling every 20 ms. A killed or drained stage worker is replaced by a new one"
            + " after the stage resumed, so two stage workers serve the queue throughout.\n");
    return sb.toString();
  }

  private static String details(Map<String, Object> f) {
    StringBuilder sb = new StringBuilder();
    for (String k :
        List.of(
            "killed_attempt_outcome",
            "drained_attempt_outcome",
            "drained_attempt_end_to_next_attempt_s",
            "faulted_attempt_outcome",
            "database_down_s",
            "s3_down_s",
            "attempts_after_fault",
            "faulted_worker",
            "resumed_worker",
            "target")) {
      if (f.containsKey(k)) {
        Object v = f.get(k);
        if (sb.length() > 0) {
          sb.append("; ");
        }
        sb.append(k.replace('_', ' ')).append(" ");
        sb.append(v instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : v);
      }
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static void consoleSection(
      StringBuilder sb, Map<String, Object> json, Map<String, Object> console) {
    sb.append("\nThe console (").append(console.get("what")).append("):\n\n");
    for (Map<String, Object> f : (List<Map<String, Object>>) json.get("faults")) {
      sb.append("- during ")
          .append(f.get("fault"))
          .append(": ")
          .append(consoleCell((Map<String, Object>) f.get("console")))
          .append("\n");
    }
    sb.append("- while PostgreSQL was down (stop to start): ")
        .append(consoleCell((Map<String, Object>) console.get("while_database_down")))
        .append("\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "- after the run: HTTP %s, run status %s; the console process alive: %s%n",
            console.get("final_http_status"),
            console.get("final_run_status"),
            console.get("alive_at_end")));
  }

  private static String consoleCell(Map<String, Object> m) {
    if (m == null) {
      return "-";
    }
    Object again = m.get("served_again_after_s");
    return String.format(
        Locale.ROOT,
        "%s requests, answers by HTTP status %s (0: none), longest without a 200 %.1f s, %s",
        m.get("requests"),
        m.get("answers_by_http_status"),
        num(m, "longest_without_200_s"),
        again == null
            ? "no 200 after it"
            : "answering 200 again " + secondsCell(again) + " s after the window");
  }

  private static String orDash(Object v, String dash) {
    return v == null ? dash : v.toString();
  }

  private static String secondsCell(Object v) {
    return v instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "-";
  }

  private static double num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
