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
import com.magicdistill.engine.distill.lcm.LcmDistillation;
import com.magicdistill.engine.eval.FeatureExtractor;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import com.magicdistill.engine.eval.MethodMetrics;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.perf.GemmPeak;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
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

  /** Training seeds behind each model row (one training run per method so far). */
  private static final int SEEDS = 1;

  private final DistillPreset preset;
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
    this.preset = preset;
    this.resultsDir = resultsDir;
    this.workDir = workDir;
    this.teacherDir = teacherDir;
    this.progress = progress;
  }

  /** Every option, with its effective value, so the command reproduces the results file. */
  String command() {
    return "./magic bench paper-table --preset "
        + preset.teacher().name()
        + (teacherDir == null ? "" : " --teacher " + teacherDir)
        + " --alpha-weak "
        + preset.alphaWeak()
        + " --generator-lr "
        + preset.dmd().generatorLr()
        + " --results "
        + resultsDir
        + BenchResults.workOption(workDir);
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

      progress.start("distill lcm", preset.lcm().steps());
      var lcm =
          new LcmDistillation(preset.lcm())
              .run(
                  root,
                  teacher,
                  data.kept(),
                  CheckpointedRun.<TrainingListener>fresh(store, "lcm")
                      .listenedBy(s -> progress.step(s.step() + 1, loss(s.loss()))));
      progress.end();
      timings.put("lcm_ms_per_step", lcm.medianMsPerStep());
      evaluate(
          "lcm4",
          lcm.student(),
          SamplerKind.RENOISE,
          SigmaSchedule.FOUR_STEP,
          evaluation,
          methods,
          samples);

      DistillationStages recipe = preset.stages();
      DistillConfig dmd = recipe.dmd();
      DistillConfig w2s = recipe.w2s();
      var stages =
          new DistillStageRunner(
              data, fx, generator, progress, NOISE_SEED, preset.probeClips(), preset.probeEvery());
      List<double[]> shared = new ArrayList<>();
      var dmdStage = stages.run("dmd", dmd, null, teacher, store, root, shared);
      timings.put("dmd_ms_per_iteration", dmdStage.medianMsPerIteration());
      List<double[]> w2sCurve = new ArrayList<>(shared);
      var w2sStage = stages.run("w2s", w2s, "dmd", teacher, store, root, w2sCurve);
      timings.put("w2s_ms_per_iteration", w2sStage.medianMsPerIteration());
      List<double[]> dmdCurve = new ArrayList<>(shared);
      stages.run("dmd-control", recipe.control(), "dmd", teacher, store, root, dmdCurve);
      stages.run("w2s-reg", w2s.withRegression(true), "dmd", teacher, store, root, null);
      curves.put("dmd", dmdCurve);
      curves.put("w2s", w2sCurve);

      evaluateCheckpoint("dmd4", "dmd-control", store, root, evaluation, methods, samples);
      evaluateCheckpoint("w2s4", "w2s", store, root, evaluation, methods, samples);
      evaluateCheckpoint("w2s4_reg", "w2s-reg", store, root, evaluation, methods, samples);
      evaluateCheckpoint("dmd4_stage_end", "dmd", store, root, evaluation, methods, samples);

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
      m.put("seeds", SEEDS);
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
        "curves share the DMD-LoRA stage up to iteration " + preset.dmd().iterations());
    json.put("timings", timings);
    json.put("efficiency", efficiency);
    json.put("distill", preset.dmd());
    json.put("alpha_weak", preset.alphaWeak());
    json.put("w2s_iterations", preset.w2sIterations());
    json.put("lcm", preset.lcm());
    // docs/ALGORITHM.md#optional-terms; tables without it used x0_fake(x_sigma) - x_gt
    json.put("regression_term", "x_gen - x_gt");
    json.put("held_out_clips", tp.heldOutClips());
    json.put("wall_s", (System.nanoTime() - start) / 1e9);
    String name = "paper-table-" + tp.name();
    BenchResults.write(resultsDir, name, json, PaperTable.markdown(json));
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

  private void evaluateCheckpoint(
      String method,
      String stagePrefix,
      ObjectStore store,
      NDManager root,
      HeldOutEvaluation evaluation,
      Map<String, MethodMetrics> methods,
      Map<String, List<Clip>> samples)
      throws IOException {
    VideoDiT g = ModelCheckpoints.loadEma(store, stagePrefix + "/generator", root);
    evaluate(
        method, g, GeneratorExport.SAMPLER, GeneratorExport.SCHEDULE, evaluation, methods, samples);
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
