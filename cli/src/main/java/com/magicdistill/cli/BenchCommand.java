package com.magicdistill.cli;

import com.magicdistill.bench.ApiBenchmark;
import com.magicdistill.bench.BenchResults;
import com.magicdistill.bench.ClusterBenchmark;
import com.magicdistill.bench.CollapseBenchmark;
import com.magicdistill.bench.ConsoleUnderTest;
import com.magicdistill.bench.DistillSweepBenchmark;
import com.magicdistill.bench.ModelVariant;
import com.magicdistill.bench.NativeMemoryBenchmark;
import com.magicdistill.bench.PaperTableBenchmark;
import com.magicdistill.bench.PipelineBenchmark;
import com.magicdistill.bench.Progress;
import com.magicdistill.bench.TeacherBenchmark;
import com.magicdistill.bench.TeacherEfficiencyBenchmark;
import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.platform.ConsoleProcess;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code magic bench ...}: end-to-end benchmarks writing {@code bench/results/}. */
@Command(
    name = "bench",
    description = "Benchmarks that write JSON and a markdown table under bench/results/.",
    subcommands = {
      BenchCommand.Teacher.class,
      BenchCommand.NativeMemory.class,
      BenchCommand.PaperTable.class,
      BenchCommand.DistillSweep.class,
      BenchCommand.Collapse.class,
      BenchCommand.Pipeline.class,
      BenchCommand.Cluster.class,
      BenchCommand.Api.class
    })
final class BenchCommand {
  /** The {@code --teacher} option of the benches that can train their own teacher. */
  static final String TEACHER_TO_REUSE =
      "reuse this teacher phase folder (e.g. the teacher benchmark's <work>/teacher) or"
          + " weights-only checkpoint (bench/fixtures/teacher-paper-v2: the paper-v2"
          + " teacher, committed); default: train one first";

  /** Prints where {@code <name>.json} (and its .md) went and how long the run took; exit 0. */
  static int wrote(Path results, String name, java.util.Map<String, Object> json) {
    System.out.println(
        "wrote "
            + results.resolve(name + ".json")
            + " and .md (wall "
            + Math.round((double) json.get("wall_s"))
            + " s)");
    return 0;
  }

  /** Options every preset benchmark takes, and its closing line. */
  /** The distillation switches shared by paper-table and collapse (null: the preset's). */
  static final class DistillSwitches {
    @Option(
        names = "--backward-simulation",
        arity = "1",
        description = "true or false: generator inputs from its own rollout (default: false)")
    Boolean backwardSimulation;

    @Option(names = "--gan", arity = "1", description = "true or false: the GAN term (off)")
    Boolean gan;
  }

  static final class PresetOptions {
    @Option(
        names = "--preset",
        defaultValue = "smoke",
        description =
            "smoke or paper (tiny: a few steps, to check the results' shape; paper-v2: motion"
                + " model v2 data, bench teacher, paper-table and distill-sweep; mid: v2 data,"
                + " bench teacher only)")
    String preset;

    @Option(names = "--results", defaultValue = "bench/results", description = "results folder")
    Path results;

    @Option(names = "--work", description = "checkpoint folder (default: a temporary folder)")
    Path work;

    /** The --work folder, or a new temporary one named after the benchmark. */
    Path workDir(String bench) throws java.io.IOException {
      return work != null ? work : BenchResults.temporaryWorkDir(bench + "-" + preset);
    }

    /** Prints where {@code <name>-<preset>.json} went and how long it took. */
    int wrote(String name, java.util.Map<String, Object> json) {
      return BenchCommand.wrote(results, name + "-" + preset, json);
    }
  }

  @Command(
      name = "teacher",
      mixinStandardHelpOptions = true,
      description =
          "Data -> base pretraining -> portrait fine-tune -> evaluate base/teacher Euler-28 and"
              + " teacher Euler-4.")
  static final class Teacher implements Callable<Integer> {
    @Mixin PresetOptions o;

    @Option(
        names = "--only",
        description =
            "only this measurement: efficiency (the training step's MFU and where its time goes,"
                + " a few minutes; writes bench/results/teacher-<preset>-efficiency)")
    String only;

    @Option(
        names = "--heads",
        description =
            "train and time the preset's model with this many attention heads (same width, so"
                + " wider or narrower heads): another model, written apart as"
                + " bench/results/teacher-<preset>-heads<N>[-efficiency]")
    Integer heads;

    @Mixin ModelOptions model;

    @Override
    public Integer call() throws Exception {
      EnginePreset p = EnginePreset.byName(o.preset);
      if (only != null && !only.equals(TeacherEfficiencyBenchmark.ONLY)) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--only takes efficiency, not '" + only + "'");
      }
      ModelVariant variant =
          new ModelVariant(heads, model.prediction(new picocli.CommandLine(this)), model.patchSkip);
      try {
        variant.apply(p);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), e.getMessage());
      }
      if (only != null) {
        var bench = new TeacherEfficiencyBenchmark(p, variant, o.results, new ConsoleBarProgress());
        return wrote(o.results, bench.resultsName(), bench.run());
      }
      var bench =
          new TeacherBenchmark(p, variant, o.results, o.workDir("bench"), new ConsoleBarProgress());
      return wrote(o.results, bench.resultsName(), bench.run());
    }
  }

  @Command(
      name = "native-memory",
      mixinStandardHelpOptions = true,
      description =
          "The teacher training step with glibc's default malloc against the memory reuse ./magic"
              + " sets (docs/EVALUATION.md#native-memory): whole --only efficiency runs in child"
              + " JVMs, the two settings alternated per round, for each thread count (about 7"
              + " minutes on paper-v2); writes bench/results/native-memory-<preset>. Run it alone.")
  static final class NativeMemory implements Callable<Integer> {
    @Option(
        names = "--preset",
        defaultValue = "paper-v2",
        description = "engine preset: smoke, paper, paper-v2 or tiny (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(
        names = "--rounds",
        defaultValue = "3",
        description =
            "rounds per thread count, each one run per setting (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(
        names = "--threads",
        defaultValue = "1,2",
        split = ",",
        description = "OMP_NUM_THREADS of the runs, comma-separated (default: ${DEFAULT-VALUE})")
    java.util.List<Integer> threads;

    @Option(names = "--results", defaultValue = "bench/results", description = "results folder")
    Path results;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      EnginePreset p = EnginePreset.byName(preset);
      if (rounds < 1) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--rounds must be at least 1, not " + rounds);
      }
      for (int t : threads) {
        if (t < 1) {
          throw new picocli.CommandLine.ParameterException(
              spec.commandLine(), "--threads takes thread counts of at least 1, not " + t);
        }
      }
      var bench =
          new NativeMemoryBenchmark(
              p, rounds, threads, results, MagicCli.class.getName(), new ConsoleBarProgress());
      return wrote(results, bench.resultsName(), bench.run());
    }
  }

  @Command(
      name = "paper-table",
      mixinStandardHelpOptions = true,
      description = {
        "The paper's table in miniature: Euler-28, Euler-8, Euler-4, teacher re-noising-4,"
            + " LCM-4, DMD2-4, W2S-4, W2S-4 with regression, anchor rows from the real clips"
            + " (first frame repeated, plus noise, temporally blurred), and the fd_clip curves"
            + " of DMD vs W2S. The distilled rows are trained once per training seed and pooled:"
            + " the mean over seeds, with 95%% intervals over seeds and clips"
            + " (docs/EVALUATION.md#training-seeds). Writes"
            + " bench/results/paper-table-<preset>.json, .md and two PNGs.",
        "Presets: paper-v2 is the issue-11 miniature (teacher from ./magic bench teacher"
            + " --preset paper-v2 --work DIR, then --teacher DIR/teacher, or the committed"
            + " bench/fixtures/teacher-paper-v2) with the distillation"
            + " settings of bench collapse (generator lr 5e-5, Adam beta1 0.9, score shift 3);"
            + " paper keeps the committed settings (lr 2e-5, beta1 0, no shift); tiny checks the"
            + " results' shape with 2 seeds.",
        "Wall time (2 cores, with --teacher bench/fixtures/teacher-paper-v2): paper-v2 with"
            + " --seeds 1 took 64 min (bench/results/paper-table-paper-v2.json): the seed's"
            + " training 54 min (LCM 1500 steps at about 0.6 s, DMD 200 + 3 x 400 generator updates"
            + " at 1.1-1.8 s with the first seed's probes), the rows, anchors, timing and export 10"
            + " min. Each further seed adds about 45 min: 3 seeds about 2.5 h in one process."
            + " --train-seed K trains one seed per process into the same --work (use"
            + " OMP_NUM_THREADS=1 for each on 2 cores); the run without it trains what is missing"
            + " and scores all. Without --teacher add the teacher's training (paper-v2: 39-43 min"
            + " in bench/results/teacher-paper-v2.md). tiny: 1-2 minutes (78 s in its test on 2"
            + " busy cores)."
      })
  static final class PaperTable implements Callable<Integer> {
    @Mixin PresetOptions o;

    @Option(names = "--teacher", description = TEACHER_TO_REUSE)
    Path teacher;

    @Option(names = "--alpha-weak", description = "override the W2S real-model LoRA scale (sweeps)")
    Float alphaWeak;

    @Option(names = "--generator-lr", description = "override the generator learning rate")
    Float generatorLr;

    @Option(
        names = "--seeds",
        description =
            "training seeds of every distilled row (default: 3 on paper and paper-v2, 2 on"
                + " tiny, 1 on smoke)")
    Integer seeds;

    @Option(
        names = "--dmd-iterations",
        description = "generator updates of the DMD-LoRA stage (default: the preset's)")
    Integer dmdIterations;

    @Option(
        names = "--w2s-iterations",
        description =
            "generator updates of W2S and of each arm beside it (plain-DMD control, W2S with"
                + " regression; default: the preset's)")
    Integer w2sIterations;

    @Option(
        names = "--probe-every",
        description =
            "generator updates between the fd_clip probes of the curves, a multiple of the"
                + " stages' checkpoint interval (default: the preset's, 50 on paper and paper-v2);"
                + " 500 keeps long stages' curves short")
    Integer probeEvery;

    @Option(
        names = "--train-seed",
        description =
            "train only this training seed (0-based) into --work, e.g. one per process with the"
                + " same --teacher and --work; the same command without --train-seed then trains"
                + " what is missing and writes the results")
    Integer trainSeed;

    @Mixin DistillSwitches switches;

    @Override
    public Integer call() throws Exception {
      if (trainSeed != null && o.work == null) {
        throw new IllegalArgumentException(
            "--train-seed: give --work too, the folder the seeds share (their checkpoints)");
      }
      DistillPreset p = DistillPreset.byName(o.preset);
      if (alphaWeak != null) {
        p = p.withAlphaWeak(alphaWeak);
      }
      if (generatorLr != null) {
        p = p.withGeneratorLr(generatorLr);
      }
      if (switches.backwardSimulation != null) {
        p = p.withDmd(p.dmd().withBackwardSimulation(switches.backwardSimulation));
      }
      if (switches.gan != null) {
        p = p.withDmd(p.dmd().withGan(switches.gan));
      }
      if (seeds != null && seeds < 1) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--seeds must be at least 1, not " + seeds);
      }
      requirePositive("--dmd-iterations", dmdIterations);
      requirePositive("--w2s-iterations", w2sIterations);
      if (dmdIterations != null) {
        p = p.withDmd(p.dmd().withIterations(dmdIterations));
      }
      if (w2sIterations != null) {
        p = p.withW2sIterations(w2sIterations);
      }
      requirePositive("--probe-every", probeEvery);
      if (probeEvery != null) {
        int every = p.dmd().checkpointEvery();
        if (every > 0 && probeEvery % every != 0) {
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this),
              "--probe-every must be a multiple of "
                  + every
                  + ", the stages' checkpoint interval (the curves are probed from the"
                  + " checkpoints), not "
                  + probeEvery);
        }
        p = p.withProbeEvery(probeEvery);
      }
      int n = seeds != null ? seeds : PaperTableBenchmark.defaultSeeds(o.preset);
      var bench =
          new PaperTableBenchmark(
              p, n, o.results, o.workDir("table"), teacher, new ConsoleBarProgress());
      if (trainSeed != null) {
        bench.trainSeed(trainSeed);
        return 0;
      }
      var json = bench.run();
      return wrote(o.results, bench.resultsName(), json);
    }

    private void requirePositive(String flag, Integer value) {
      if (value != null && value < 1) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), flag + " must be at least 1, not " + value);
      }
    }
  }

  @Command(
      name = "distill-sweep",
      mixinStandardHelpOptions = true,
      description =
          "From one teacher: W2S arms at alpha_weak 0/0.25/0.5/0.75, 1 and 10 critic updates per"
              + " generator update, LoRA rank 4 and 16; writes bench/results/distill-sweep-<preset>.")
  static final class DistillSweep implements Callable<Integer> {
    @Mixin PresetOptions o;

    @Option(
        names = "--teacher",
        required = true,
        description = "teacher phase folder (the teacher benchmark's <work>/teacher)")
    Path teacher;

    @Option(names = "--generator-lr", description = "override the generator learning rate")
    Float generatorLr;

    @Override
    public Integer call() throws Exception {
      DistillPreset p = DistillPreset.byName(o.preset);
      if (generatorLr != null) {
        p = p.withGeneratorLr(generatorLr);
      }
      var json =
          new DistillSweepBenchmark(
                  p, o.results, o.workDir("sweep"), teacher, new ConsoleBarProgress())
              .run();
      return o.wrote("distill-sweep", json);
    }
  }

  @Command(
      name = "collapse",
      mixinStandardHelpOptions = true,
      description = {
        "The collapse study (docs/EVALUATION.md#collapse-study): from one DMD-LoRA start, three"
            + " arms with the same number of updates (plain DMD, W2S at alpha_weak 0.25, plain DMD"
            + " at the learning rate matching W2S's effective step), with fd_clip and paired motion"
            + " ratio curves (95%% intervals) and cos(g_W2S, g_DMD) per arm; writes"
            + " bench/results/collapse-<preset>.json, .md and .png.",
        "Wall time: tiny under a minute (its test took 30 s on 2 busy cores, load 7); paper"
            + " (300 + 3 x 2000 generator updates, a probe every 100 on 64 clips) 2.3-3 h on 2"
            + " idle cores with --teacher: its DMD-LoRA start on the paper-v2 teacher ran at"
            + " 0.65-0.9 updates per second (2 libtorch threads, 5 critic updates each), plus 64"
            + " probes of about 12 s; --backward-simulation true adds about 40%%; without"
            + " --teacher add the teacher's training (paper-v2: 39 min in"
            + " bench/results/teacher-paper-v2.md). With --work the study can be stopped: the"
            + " same command continues it, losing at most 50 updates of an arm."
      })
  static final class Collapse implements Callable<Integer> {
    @Option(names = "--preset", required = true, description = "tiny or paper")
    String preset;

    @Option(names = "--teacher", description = TEACHER_TO_REUSE)
    Path teacher;

    @Option(
        names = "--teacher-preset",
        description =
            "engine preset the teacher was trained on (its data and held-out clips), e.g."
                + " paper-v2; default: the preset's own")
    String teacherPreset;

    @Option(names = "--generator-lr", description = "override the generator learning rate")
    Float generatorLr;

    @Mixin DistillSwitches switches;

    @Option(names = "--results", defaultValue = "bench/results", description = "results folder")
    Path results;

    @Option(names = "--work", description = "checkpoint folder (default: a temporary folder)")
    Path work;

    @Option(
        names = "--arms",
        split = ",",
        description =
            "run only these arms (dmd, w2s, dmd_lr_matched), each in its own process if you"
                + " like, all with the same --work: a run with --arms writes its parts under"
                + " --work and no results; the same command without --arms then runs what is"
                + " missing and writes the results")
    Set<String> arms;

    @Override
    public Integer call() throws Exception {
      if (arms != null && work == null) {
        throw new IllegalArgumentException(
            "--arms: give --work too, the folder the arms share (the start's checkpoints and the"
                + " finished parts)");
      }
      Path workDir = work != null ? work : BenchResults.temporaryWorkDir("collapse-" + preset);
      var bench =
          CollapseBenchmark.of(
                  preset,
                  teacherPreset,
                  generatorLr,
                  switches.backwardSimulation,
                  switches.gan,
                  results,
                  workDir,
                  teacher,
                  new ConsoleBarProgress())
              .onlyArms(arms);
      var json = bench.run();
      if (arms != null) {
        return 0;
      }
      return wrote(results, "collapse-" + preset, json);
    }
  }

  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description =
          "The durable pipeline on its own embedded stack (smoke preset): launch to first step,"
              + " resume after a SIGKILLed worker, checkpoint vs raw S3 throughput, Temporal"
              + " overhead over calling the stages directly; writes bench/results/pipeline.")
  static final class Pipeline implements Callable<Integer> {
    @Option(names = "--results", defaultValue = "bench/results", description = "results folder")
    Path results;

    @Option(
        names = "--work",
        description = "MAGIC_HOME of the embedded stack (default: a temporary folder, deleted)")
    Path work;

    @Option(
        names = "--machine-note",
        description = "what else ran on the machine, recorded with the results")
    String machineNote;

    @Option(
        names = "--only",
        description =
            "only this measurement: checkpoint (save vs raw S3 put, more repetitions, about a"
                + " minute; writes bench/results/pipeline-checkpoint) or orchestration (short runs"
                + " through Temporal, the time outside their stage attempts and where it goes,"
                + " about two minutes; writes bench/results/pipeline-orchestration)")
    String only;

    @Override
    public Integer call() throws Exception {
      PipelineBenchmark.Only scope = PipelineBenchmark.Only.ALL;
      if ("checkpoint".equals(only)) {
        scope = PipelineBenchmark.Only.CHECKPOINT;
      } else if ("orchestration".equals(only)) {
        scope = PipelineBenchmark.Only.ORCHESTRATION;
      } else if (only != null) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this),
            "--only takes checkpoint or orchestration, not '" + only + "'");
      }
      var bench =
          new PipelineBenchmark(results, work, machineNote, new ConsoleBarProgress(), scope);
      var json = bench.run();
      return wrote(results, bench.resultsName(), json);
    }
  }

  @Command(
      name = "cluster",
      mixinStandardHelpOptions = true,
      description =
          "Every service its own process (PostgreSQL, S3Proxy, the Temporal test server, a"
              + " pipeline worker, two stage workers, the console); one short run survives kill -9"
              + " and SIGTERM of stage workers, a PostgreSQL restart and S3 down for 20 s while the"
              + " console is asked for it, and a run with an injected stage error fails after 3"
              + " attempts; writes bench/results/cluster.")
  static final class Cluster implements Callable<Integer> {
    @Option(names = "--results", defaultValue = "bench/results", description = "results folder")
    Path results;

    @Option(
        names = "--work",
        description = "data and logs of every process (default: a temporary folder, deleted)")
    Path work;

    @Override
    public Integer call() throws Exception {
      var json = new ClusterBenchmark(results, work, new ConsoleBarProgress()).run();
      return wrote(results, "cluster", json);
    }
  }

  @Command(
      name = "api",
      mixinStandardHelpOptions = true,
      description =
          "The REST API under open-loop load on loopback: its own embedded stack and console,"
              + " 10,000 seeded runs, then GET /api/v1/runs (first page and a deep cursor), GET"
              + " /api/v1/runs/{id}, a metric series and POST /api/v1/runs/validate, each at a"
              + " fixed rate; writes bench/results/api.")
  static final class Api implements Callable<Integer> {
    @Option(names = "--results", defaultValue = "bench/results", description = "results folder")
    Path results;

    @Option(
        names = "--work",
        description = "MAGIC_HOME of the embedded stack (default: a temporary folder, deleted)")
    Path work;

    @Option(
        names = "--seconds",
        defaultValue = "60",
        description = "load per endpoint in seconds (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(
        names = "--rate",
        defaultValue = "200",
        description = "requests per second, sent on schedule (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
        names = "--runs",
        defaultValue = "10000",
        description = "runs to seed (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(
        names = "--warmup-seconds",
        defaultValue = "60",
        description =
            "unmeasured load over every endpoint first, so the JIT has compiled the measured"
                + " paths (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(
        names = "--profile",
        description =
            "write a JFR recording of the console during the measured load to this file"
                + " (read it with: jfr print --events jdk.ExecutionSample FILE)")
    Path profile;

    @Override
    public Integer call() throws Exception {
      var options = new ApiBenchmark.Options(runs, rate, seconds, warmupSeconds, profile);
      var json =
          new ApiBenchmark(results, work, options, Api::childConsole, new ConsoleBarProgress())
              .run();
      return wrote(results, "api", json);
    }

    /** The console as {@code ./magic console} runs it: a child JVM, logging to MAGIC_HOME/logs. */
    static ConsoleUnderTest childConsole(
        com.magicdistill.platform.Connections c, java.util.Map<String, String> settings)
        throws Exception {
      int port = com.magicdistill.platform.S3ProxyServer.freePort();
      ConsoleProcess p = ConsoleProcess.start(c.config(), port, false, settings);
      if (!p.awaitReady(java.time.Duration.ofMinutes(3))) {
        p.close();
        throw new IllegalStateException(
            "the console did not start; see " + c.config().home().resolve("logs/console.log"));
      }
      return new ConsoleUnderTest() {
        @Override
        public String url() {
          return p.url();
        }

        @Override
        public long pid() {
          return p.pid();
        }

        @Override
        public boolean inProcess() {
          return false;
        }

        @Override
        public void close() {
          p.close();
        }
      };
    }
  }

  /** Adapts the benchmark's progress to a console bar. */
  static final class ConsoleBarProgress implements Progress {
    private ConsoleProgress bar;

    @Override
    public void start(String task, long total) {
      start(task, total, 0);
    }

    @Override
    public void start(String task, long total, long done) {
      bar = new ConsoleProgress(task, total, done);
    }

    @Override
    public void step(long current, String message) {
      if (bar != null) {
        bar.step(current, message);
      }
    }

    @Override
    public void end() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
