package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.DatasetWriter;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistillationStages;
import com.magicdistill.engine.distill.GeneratorExport;
import com.magicdistill.engine.distill.lcm.LcmConfig;
import com.magicdistill.engine.distill.lcm.LcmDistillation;
import com.magicdistill.engine.eval.FeatureExtractor;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import com.magicdistill.engine.eval.MethodMetrics;
import com.magicdistill.engine.eval.SeedPooling;
import com.magicdistill.engine.eval.SeedRun;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.perf.GemmPeak;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.engine.train.TrainingPhase;
import com.magicdistill.engine.video.ContactSheet;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code magic bench paper-table}: the paper's Table 1 in miniature
 * (docs/ALGORITHM.md#paper-table). From one teacher: Euler-28, Euler-8, Euler-4, the teacher with
 * the 4-step re-noising sampler (where distillation starts), LCM-4, DMD2-4, W2S-4 and W2S-4 with
 * the regression term, all on the same held-out conditioning frames and noise, plus anchor rows
 * built from the real clips (docs/EVALUATION.md#anchors). Dynamic degree is calibrated on the real
 * held-out clips before any method is scored. DMD2 and W2S get the same number of generator
 * updates: after the shared DMD-LoRA stage, W2S and a plain-DMD control arm continue from the same
 * state for the same number of updates, and both are probed for fd_clip along the way (the curves).
 *
 * <p>The distilled rows (LCM and every distribution-matching stage) are trained once per training
 * seed, seed {@code k} with the preset's seeds plus {@code k * SEED_STRIDE} under checkpoint prefix
 * {@code seed-k/} (seed 0 where a single run put them), each seed's clips scored on the same
 * held-out frames and noise, and pooled into one row (docs/EVALUATION.md#training-seeds). The
 * curves, the contact sheet, the side-by-side timing and the exported W2S package come from seed 0.
 */
public final class PaperTableBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(PaperTableBenchmark.class);
  private static final int SAMPLE_BATCH = HeldOutEvaluation.BATCH;
  private static final long NOISE_SEED = 4242;
  private static final int TIMING_ROUNDS = 5;
  private static final int EULER8_STEPS = 8;
  static final String[] METHODS = {
    "euler28", "euler8", "euler4", "renoise4", "lcm4", "dmd4", "w2s4", "w2s4_reg"
  };

  /** The rows trained once per training seed, pooled over seeds, in table order. */
  static final List<String> DISTILLED =
      List.of("lcm4", "dmd4", "w2s4", "w2s4_reg", "dmd4_stage_end");

  /**
   * Training seed {@code k} runs the LCM and every distribution-matching stage with the preset's
   * seed plus {@code k} times this (the critic optimiser takes the stage seed + 1, so consecutive
   * seeds would overlap).
   */
  static final long SEED_STRIDE = 1000;

  private final DistillPreset preset;
  private final int seeds;
  private final Path resultsDir;
  private final Path workDir;
  private final Path teacherDir;
  private final Progress progress;
  private final SamplerTiming timed = new SamplerTiming();

  /** The teacher's training phases when this run trained it (for the efficiency block). */
  private List<TrainingEfficiency.Phase> teacherPhases = List.of();

  /**
   * @param teacherDir a teacher phase folder to reuse (e.g. the teacher benchmark's {@code
   *     <work>/teacher}), or null to train one here
   */
  public PaperTableBenchmark(
      DistillPreset preset, Path resultsDir, Path workDir, Path teacherDir, Progress progress) {
    this(preset, defaultSeeds(preset.teacher().name()), resultsDir, workDir, teacherDir, progress);
  }

  /**
   * @param seeds training seeds of every distilled row (lcm4, dmd4, w2s4, w2s4_reg)
   */
  public PaperTableBenchmark(
      DistillPreset preset,
      int seeds,
      Path resultsDir,
      Path workDir,
      Path teacherDir,
      Progress progress) {
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
    }
    this.preset = preset;
    this.seeds = seeds;
    this.resultsDir = resultsDir;
    this.workDir = workDir;
    this.teacherDir = teacherDir;
    this.progress = progress;
  }

  /**
   * Training seeds when {@code --seeds} is not given: 3 on the paper presets (issue 11 asks for at
   * least 3 in the final table), 2 on tiny (the pooled path in seconds), 1 on smoke.
   */
  public static int defaultSeeds(String preset) {
    return switch (preset) {
      case "tiny" -> 2;
      case "smoke" -> 1;
      default -> 3;
    };
  }

  /** Every option, with its effective value, so the command reproduces the results file. */
  String command() {
    return "./magic bench paper-table --preset "
        + preset.teacher().name()
        + (teacherDir == null ? "" : " --teacher " + teacherDir)
        + " --seeds "
        + seeds
        + " --alpha-weak "
        + preset.alphaWeak()
        + " --generator-lr "
        + preset.dmd().generatorLr()
        + " --backward-simulation "
        + preset.dmd().backwardSimulation()
        + " --gan "
        + preset.dmd().gan()
        + " --results "
        + resultsDir
        + BenchResults.workOption(workDir);
  }

  /** The distillation stages of training seed {@code k}. */
  DistillationStages stages(int k) {
    return preset.withDmd(preset.dmd().withSeed(preset.dmd().seed() + SEED_STRIDE * k)).stages();
  }

  /** The LCM baseline of training seed {@code k}. */
  LcmConfig lcm(int k) {
    return preset.lcm().withSeed(preset.lcm().seed() + SEED_STRIDE * k);
  }

  /** Checkpoint prefix of training seed {@code k}'s runs: seed 0 where a single run put them. */
  static String seedPrefix(int k) {
    return k == 0 ? "" : "seed-" + k + "/";
  }

  /**
   * Every switch of the distillation, as run (docs/EVALUATION.md#training-seeds): the stages'
   * shared settings, the W2S and regression arms, the LCM baseline and the seeds.
   */
  Map<String, Object> switches() {
    DistillConfig d = preset.dmd();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generator_lr", d.generatorLr());
    m.put("critic_lr", d.criticLr());
    m.put("beta1", d.beta1());
    m.put("beta2", d.beta2());
    m.put("score_shift", d.scoreShift());
    m.put("critic_updates", d.criticUpdates());
    m.put("batch_size", d.batchSize());
    m.put("lora_rank", d.loraRank());
    m.put("backward_simulation", d.backwardSimulation());
    m.put("gan", d.gan());
    m.put("gan_generator_weight", d.ganGeneratorWeight());
    m.put("gan_discriminator_weight", d.ganDiscriminatorWeight());
    m.put("alpha_weak", preset.alphaWeak());
    m.put("alpha_strong", d.alphaStrong());
    m.put("dmd_iterations", d.iterations());
    m.put("w2s_iterations", preset.w2sIterations());
    m.put("regression_row_weight", d.regressionWeight());
    m.put("lcm_steps", preset.lcm().steps());
    m.put("lcm_lr", preset.lcm().lr());
    m.put("lcm_shift", preset.lcm().shift());
    m.put("seeds", seeds);
    return m;
  }

  /** One timing round on the tiny preset: it checks the results' shape, not the timings. */
  private int timingRounds() {
    return "tiny".equals(preset.teacher().name()) ? 1 : TIMING_ROUNDS;
  }

  public Map<String, Object> run() throws IOException {
    long start = System.nanoTime();
    EnginePreset tp = preset.teacher();
    PresetData data = PresetData.of(tp);
    ObjectStore store = new LocalDirectoryStore(workDir);
    FeatureExtractor fx = FeatureExtractors.defaultExtractor();
    List<float[]> firsts = data.firstFrames();
    HeldOutEvaluation evaluation =
        new HeldOutEvaluation(fx, data.heldOut(), NOISE_SEED, BenchBootstrap.forPreset(tp));
    ClipGenerator generator = evaluation.generator();
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, MethodMetrics> methods = new LinkedHashMap<>();
    Map<String, List<Clip>> samples = new LinkedHashMap<>();
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    Map<String, Object> timings = new LinkedHashMap<>();
    Map<String, List<MethodMetrics>> perSeed = new LinkedHashMap<>();
    Map<String, MethodMetrics> anchors = new LinkedHashMap<>();
    evaluation.scoreAnchors().forEach((k, v) -> anchors.put(k, v.metrics()));

    Map<String, Object> efficiency;
    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT teacher = teacher(data, store, root);
      evaluation.warmUp(teacher);
      SigmaSchedule euler28 = tp.teacherSchedule();

      evaluate("euler28", teacher, SamplerKind.EULER, euler28, evaluation, methods, samples);
      SigmaSchedule euler8 = new SigmaSchedule(EULER8_STEPS, tp.teacherShift());
      evaluate("euler8", teacher, SamplerKind.EULER, euler8, evaluation, methods, samples);
      evaluate(
          "euler4",
          teacher,
          SamplerKind.EULER,
          SigmaSchedule.FOUR_STEP,
          evaluation,
          methods,
          samples);
      evaluate(
          "renoise4",
          teacher,
          SamplerKind.RENOISE,
          SigmaSchedule.FOUR_STEP,
          evaluation,
          methods,
          samples);

      Map<String, List<SeedRun>> runs = new LinkedHashMap<>();
      DISTILLED.forEach(m -> runs.put(m, new ArrayList<>()));
      List<Map<String, Object>> trainingSeeds = new ArrayList<>();
      List<Double> lcmMs = new ArrayList<>();
      List<Double> dmdMs = new ArrayList<>();
      List<Double> w2sMs = new ArrayList<>();
      var stages =
          new DistillStageRunner(
              data, fx, generator, progress, NOISE_SEED, preset.probeClips(), preset.probeEvery());
      for (int k = 0; k < seeds; k++) {
        // Seed 0's models stay for the side-by-side timing and the export; a later seed's are
        // freed once its clips are scored (its figures are plain arrays).
        NDManager seedManager = k == 0 ? root : root.newSubManager();
        try {
          long seedStart = System.nanoTime();
          String at = seedPrefix(k);
          SeedScorer scorer = new SeedScorer(k, evaluation, runs, samples);
          LcmConfig lcmCfg = lcm(k);
          progress.start("distill " + at + "lcm", lcmCfg.steps());
          var lcm =
              new LcmDistillation(lcmCfg)
                  .run(
                      seedManager,
                      teacher,
                      data.kept(),
                      CheckpointedRun.<TrainingListener>fresh(store, at + "lcm")
                          .listenedBy(s -> progress.step(s.step() + 1, loss(s.loss()))));
          progress.end();
          lcmMs.add(lcm.medianMsPerStep());
          scorer.score("lcm4", lcm.student(), SamplerKind.RENOISE, SigmaSchedule.FOUR_STEP);

          DistillationStages recipe = stages(k);
          DistillConfig dmd = recipe.dmd();
          DistillConfig w2s = recipe.w2s();
          // The curves come from the first seed; the other seeds train without probes.
          boolean probed = k == 0;
          List<double[]> shared = new ArrayList<>();
          var dmdStage =
              stages.run(
                  at + "dmd", dmd, null, teacher, store, seedManager, probed ? shared : null);
          dmdMs.add(dmdStage.medianMsPerIteration());
          List<double[]> w2sCurve = new ArrayList<>(shared);
          var w2sStage =
              stages.run(
                  at + "w2s",
                  w2s,
                  at + "dmd",
                  teacher,
                  store,
                  seedManager,
                  probed ? w2sCurve : null);
          w2sMs.add(w2sStage.medianMsPerIteration());
          List<double[]> dmdCurve = new ArrayList<>(shared);
          stages.run(
              at + "dmd-control",
              recipe.control(),
              at + "dmd",
              teacher,
              store,
              seedManager,
              probed ? dmdCurve : null);
          stages.run(
              at + "w2s-reg",
              w2s.withRegression(true),
              at + "dmd",
              teacher,
              store,
              seedManager,
              null);
          if (probed) {
            curves.put("dmd", dmdCurve);
            curves.put("w2s", w2sCurve);
          }
          scorer.checkpoint("dmd4", at + "dmd-control", store, seedManager);
          scorer.checkpoint("w2s4", at + "w2s", store, seedManager);
          scorer.checkpoint("w2s4_reg", at + "w2s-reg", store, seedManager);
          scorer.checkpoint("dmd4_stage_end", at + "dmd", store, seedManager);
          Map<String, Object> seed = new LinkedHashMap<>();
          seed.put("index", k);
          seed.put("distill_seed", dmd.seed());
          seed.put("lcm_seed", lcmCfg.seed());
          seed.put("checkpoint_prefix", at);
          seed.put("wall_s", (System.nanoTime() - seedStart) / 1e9);
          trainingSeeds.add(seed);
        } finally {
          if (k > 0) {
            seedManager.close();
          }
        }
      }
      json.put("training_seeds", trainingSeeds);
      for (var e : runs.entrySet()) {
        progress.start("pool " + e.getKey() + " over " + seeds + " seeds", 1);
        SeedPooling.Pooled pooled = evaluation.pool(e.getValue());
        progress.end();
        methods.put(e.getKey(), pooled.metrics());
        perSeed.put(e.getKey(), pooled.perSeed());
      }
      timings.put("lcm_ms_per_step", Median.of(lcmMs));
      timings.put("dmd_ms_per_iteration", Median.of(dmdMs));
      timings.put("w2s_ms_per_iteration", Median.of(w2sMs));
      timings.put("lcm_ms_per_step_by_seed", lcmMs);
      timings.put("dmd_ms_per_iteration_by_seed", dmdMs);
      timings.put("w2s_ms_per_iteration_by_seed", w2sMs);

      progress.start("time samplers side by side", 1);
      Map<String, Double> ms =
          timed.medianMsPerClip(
              generator,
              firsts.subList(0, Math.min(SAMPLE_BATCH, firsts.size())),
              NOISE_SEED,
              timingRounds());
      progress.end();
      ms.forEach((k, v) -> methods.compute(k, (key, m) -> m.withWallMsPerClip(v)));
      efficiency =
          TrainingEfficiency.of(
              tp.model(), teacherPhases, GemmPeak.measure(TeacherBenchmark.peakSizes(tp)), null);
      timings.put(
          "sampler_timing",
          "median of "
              + timingRounds()
              + " interleaved rounds of "
              + SAMPLE_BATCH
              + " clips per method, after all training");
    }

    String manifestSha = writeDataset(data);
    Path exported = workDir.resolve("export").resolve("w2s4");
    Map<String, Double> w2sMetrics = new LinkedHashMap<>();
    w2sMetrics.put("fd_clip", methods.get("w2s4").fdClip());
    w2sMetrics.put("fd_frame", methods.get("w2s4").fdFrame());
    w2sMetrics.put("vbench_avg", methods.get("w2s4").vbench().avg());
    Map<String, Object> hyper = new LinkedHashMap<>();
    hyper.put("distill", Json.MAPPER.convertValue(preset.dmd(), Map.class));
    hyper.put("alpha_weak", (double) preset.alphaWeak());
    hyper.put("w2s_iterations", preset.w2sIterations());
    hyper.put("training_seed", preset.dmd().seed());
    GeneratorExport.export(
        store,
        "w2s",
        new GeneratorExport.Lineage(
            teacherDir != null
                ? new LocalDirectoryStore(teacherDir.toAbsolutePath().getParent())
                : store,
            teacherDir != null ? teacherDir.getFileName().toString() : TeacherTraining.TEACHER,
            "paper-table-" + tp.name(),
            manifestSha,
            hyper,
            w2sMetrics),
        exported);
    json.put("exported_model", exported.toString());

    double euler28Ms = methods.get("euler28").wallMsPerClip();
    Map<String, Object> table = new LinkedHashMap<>();
    for (var e : methods.entrySet()) {
      Map<String, Object> m = new LinkedHashMap<>(e.getValue().toMap());
      m.put("speedup_vs_euler28", euler28Ms / e.getValue().wallMsPerClip());
      List<MethodMetrics> bySeed = perSeed.get(e.getKey());
      // Teacher rows: one teacher, trained once.
      m.put("seeds", bySeed == null ? 1 : bySeed.size());
      if (bySeed != null) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MethodMetrics one : bySeed) {
          Map<String, Object> r = new LinkedHashMap<>(one.toMap());
          // Sampling time of one seed's model on its own; the row's ms/clip is the side-by-side
          // timing.
          r.remove("wall_ms_per_clip");
          rows.add(r);
        }
        m.put("per_seed", rows);
      }
      table.put(e.getKey(), m);
    }
    for (var e : anchors.entrySet()) {
      // No model ran: no wall time, no speed-up.
      Map<String, Object> m = new LinkedHashMap<>(e.getValue().toMap());
      m.remove("wall_ms_per_clip");
      table.put(e.getKey(), m);
    }
    json.put("preset", preset.teacher().name());
    json.put("command", command());
    json.put("feature_extractor", fx.id());
    json.put("dynamic_degree_calibration", evaluation.calibration().toMap());
    json.put(
        "bootstrap",
        Map.of(
            "resamples", evaluation.bootstrap().resamples(),
            "seed", evaluation.bootstrap().seed()));
    json.put("teacher", teacherDir == null ? "trained in this run" : teacherDir.toString());
    json.put("methods", table);
    json.put(
        "real_reference",
        TeacherBenchmark.realReference(
            fx, data.reference(), data.heldOut(), evaluation.calibration()));
    json.put("curves", curves);
    json.put(
        "curve_note",
        "training seed 0"
            + (seeds > 1 ? " (the other seeds train without probes)" : "")
            + "; curves share the DMD-LoRA stage up to iteration "
            + preset.dmd().iterations());
    json.put("timings", timings);
    json.put("efficiency", efficiency);
    json.put("seeds", seeds);
    json.put("switches", switches());
    json.put("distill", preset.dmd());
    json.put("alpha_weak", preset.alphaWeak());
    json.put("w2s_iterations", preset.w2sIterations());
    json.put("lcm", preset.lcm());
    // docs/ALGORITHM.md#optional-terms; tables without it used x0_fake(x_sigma) - x_gt
    json.put("regression_term", "x_gen - x_gt");
    json.put("held_out_clips", tp.heldOutClips());
    json.put("wall_s", (System.nanoTime() - start) / 1e9);
    String name = "paper-table-" + tp.name();
    // Rendered from the JSON as written, as the committed-results check renders it.
    @SuppressWarnings("unchecked")
    Map<String, Object> written =
        Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(json), Map.class);
    BenchResults.write(resultsDir, name, json, PaperTable.markdown(written));
    CurvePlot.write(
        curves,
        "fd_clip of the 4-step generator (EMA) vs generator iteration",
        "generator iteration",
        "fd_clip",
        resultsDir.resolve(name + "-curves.png"));
    writeContactSheet(data, samples, resultsDir.resolve(name + "-samples.png"));
    return json;
  }

  /** Writes the training data as shards (the exported model's lineage names its manifest). */
  private String writeDataset(PresetData data) throws IOException {
    Path dir = workDir.resolve("data");
    DatasetWriter.write(dir, preset.teacher().data().shape(), 256, data.all(), data.filter());
    return Sha256.of(Files.readAllBytes(dir.resolve("manifest.json")));
  }

  private VideoDiT teacher(PresetData data, ObjectStore store, NDManager root) throws IOException {
    if (teacherDir != null) {
      Path abs = teacherDir.toAbsolutePath().normalize();
      LOG.info("reusing teacher {}", abs);
      return ModelCheckpoints.loadEma(
          new LocalDirectoryStore(abs.getParent()), abs.getFileName().toString(), root);
    }
    TeacherTraining.Listener listener =
        new TeacherTraining.Listener() {
          @Override
          public TrainingListener phaseStarted(String phase, TrainConfig cfg, long offset) {
            progress.start("train " + phase, cfg.steps());
            return s -> progress.step(s.step() + 1, loss(s.loss()));
          }

          @Override
          public void phaseEnded(String phase, TrainingPhase.Result result) {
            progress.end();
          }
        };
    EnginePreset tp = preset.teacher();
    TeacherTraining.Result trained =
        TeacherTraining.of(tp)
            .run(
                data.allClips(),
                data.kept(),
                root,
                CheckpointedRun.<TeacherTraining.Listener>fresh(store, "").listenedBy(listener));
    teacherPhases =
        List.of(
            new TrainingEfficiency.Phase(
                TeacherTraining.BASE, tp.batchSize(), trained.base().medianMsPerStep()),
            new TrainingEfficiency.Phase(
                TeacherTraining.TEACHER, tp.batchSize(), trained.teacher().medianMsPerStep()));
    return trained.model();
  }

  /** Scores one training seed's distilled models; seed 0's clips and models are kept. */
  private final class SeedScorer {
    private final int seed;
    private final HeldOutEvaluation evaluation;
    private final Map<String, List<SeedRun>> runs;
    private final Map<String, List<Clip>> samples;

    SeedScorer(
        int seed,
        HeldOutEvaluation evaluation,
        Map<String, List<SeedRun>> runs,
        Map<String, List<Clip>> samples) {
      this.seed = seed;
      this.evaluation = evaluation;
      this.runs = runs;
      this.samples = samples;
    }

    void checkpoint(String method, String stagePrefix, ObjectStore store, NDManager root)
        throws IOException {
      VideoDiT g = ModelCheckpoints.loadEma(store, stagePrefix + "/generator", root);
      score(method, g, GeneratorExport.SAMPLER, GeneratorExport.SCHEDULE);
    }

    void score(String method, Block model, SamplerKind kind, SigmaSchedule schedule) {
      progress.start("sample " + method + " (training seed " + seed + ")", 1);
      var scored = evaluation.scoreSeed(method, kind, model, schedule);
      progress.end();
      LOG.info("{} seed {}: {}", method, seed, scored.run().points().toMap());
      runs.get(method).add(scored.run());
      if (seed == 0) {
        samples.put(method, scored.clips());
        // Timing does not depend on the weights: one model per method.
        timed.add(method, model, kind, schedule);
      }
    }
  }

  private void evaluate(
      String method,
      Block model,
      SamplerKind kind,
      SigmaSchedule schedule,
      HeldOutEvaluation evaluation,
      Map<String, MethodMetrics> methods,
      Map<String, List<Clip>> samples) {
    progress.start("sample " + method, 1);
    var scored = evaluation.score(method, kind, model, schedule);
    progress.end();
    MethodMetrics m = scored.metrics();
    LOG.info("{}: {}", method, m.toMap());
    methods.put(method, m);
    samples.put(method, scored.clips());
    timed.add(method, model, kind, schedule);
  }

  private static void writeContactSheet(PresetData data, Map<String, List<Clip>> samples, Path out)
      throws IOException {
    Map<String, List<Clip>> shown = new LinkedHashMap<>();
    for (String m : METHODS) {
      shown.put(m, samples.get(m));
    }
    ContactSheet.writeComparison(data.heldOut(), shown, 3, 2, out);
  }

  private static String loss(float v) {
    return String.format(Locale.ROOT, "loss %.4f", v);
  }
}
