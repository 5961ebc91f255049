package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.PrecisionRecall;
import com.magicdistill.engine.eval.DynamicDegreeCalibration;
import com.magicdistill.engine.eval.Evaluation;
import com.magicdistill.engine.eval.FeatureExtractor;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import com.magicdistill.engine.eval.MethodMetrics;
import com.magicdistill.engine.eval.VBenchMetrics;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.perf.GemmPeak;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.ResidentMemory;
import com.magicdistill.engine.train.StepStats;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.engine.train.TrainingPhase;
import com.magicdistill.engine.video.ContactSheet;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code magic bench teacher}: the engine end to end, as in the paper's first rows. Renders the
 * dataset, measures the quality filter against the known defects, pretrains the base model on all
 * clips, fine-tunes the teacher on the kept portraits, then compares base Euler-28, teacher
 * Euler-28 and teacher Euler-4 on held-out portraits (same conditioning frames and noise for every
 * method).
 */
public final class TeacherBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherBenchmark.class);
  private static final int RSS_EVERY = 10;
  private static final long NOISE_SEED = 4242;
  private static final int SHEET_CLIPS = 4;

  private final EnginePreset preset;
  private final Path resultsDir;
  private final Path workDir;
  private final Progress progress;

  private final ModelVariant variant;

  public TeacherBenchmark(EnginePreset preset, Path resultsDir, Path workDir, Progress progress) {
    this(preset, ModelVariant.NONE, resultsDir, workDir, progress);
  }

  /**
   * @param variant other attention heads (same width) or prediction target than the preset's model
   *     ({@link ModelVariant#NONE}: the preset's); the results are then named after it, e.g. {@code
   *     teacher-<preset>-heads<N>} or {@code teacher-<preset>-x0}
   */
  public TeacherBenchmark(
      EnginePreset preset, ModelVariant variant, Path resultsDir, Path workDir, Progress progress) {
    this.variant = variant;
    this.preset = variant.apply(preset);
    this.resultsDir = resultsDir;
    this.workDir = workDir;
    this.progress = progress;
  }

  /** {@code teacher-<preset>}, or with a variant {@code teacher-<preset>-heads<N>-x0} etc. */
  public String resultsName() {
    return "teacher-" + preset.name() + variant.nameSuffix();
  }

  /** Runs the benchmark and writes {@code teacher-<preset>.json/.md} and a contact sheet. */
  public Map<String, Object> run() throws IOException {
    long start = System.nanoTime();

    PresetData data = PresetData.of(preset);
    List<Clip> kept = data.kept();
    PrecisionRecall pr = data.filterScore();

    ObjectStore store = new LocalDirectoryStore(workDir);
    List<double[]> rss = new ArrayList<>();
    Map<String, Object> json = new LinkedHashMap<>();
    try (NDManager root = NDManager.newBaseManager()) {
      TeacherTraining.Result trained =
          TeacherTraining.of(preset)
              .run(
                  data.allClips(),
                  kept,
                  root,
                  CheckpointedRun.<TeacherTraining.Listener>fresh(store, "")
                      .listenedBy(trainingListener(rss)));
      var base = trained.base();
      var teacher = trained.teacher();
      VideoDiT model = trained.model();
      VideoDiT baseModel = ModelCheckpoints.loadEma(store, TeacherTraining.BASE, root);

      List<Clip> heldOut = data.heldOut();
      List<Clip> reference = data.reference();
      List<float[]> firstFrames = data.firstFrames();
      var evaluation =
          new HeldOutEvaluation(
              FeatureExtractors.defaultExtractor(),
              heldOut,
              NOISE_SEED,
              BenchBootstrap.forPreset(preset));
      FeatureExtractor fx = evaluation.featureExtractor();
      SigmaSchedule euler28 = preset.teacherSchedule();

      // Warm-up (allocator, kernels) so the first method's wall time is not inflated.
      evaluation.warmUp(model);

      Map<String, MethodMetrics> methods = new LinkedHashMap<>();
      Map<String, List<Clip>> samples = new LinkedHashMap<>();
      record Method(String name, VideoDiT model, SigmaSchedule schedule) {}
      for (Method m :
          List.of(
              new Method("base_euler28", baseModel, euler28),
              new Method("teacher_euler28", model, euler28),
              new Method("teacher_euler4", model, SigmaSchedule.FOUR_STEP))) {
        progress.start("sample " + m.name(), 1);
        var scored = evaluation.score(m.name(), SamplerKind.EULER, m.model(), m.schedule());
        progress.end();
        MethodMetrics metrics = scored.metrics();
        LOG.info("{}: {}", m.name(), metrics.toMap());
        methods.put(m.name(), metrics);
        samples.put(m.name(), scored.clips());
      }

      json.put("preset", preset.name());
      json.put(
          "bootstrap",
          Map.of(
              "resamples", evaluation.bootstrap().resamples(),
              "seed", evaluation.bootstrap().seed()));
      json.put("feature_extractor", fx.id());
      json.put(
          "train_ms_per_step",
          Median.of(trained.allSteps().stream().mapToDouble(StepStats::msPerStep).toArray()));
      json.put("base_ms_per_step", base.medianMsPerStep());
      json.put("teacher_ms_per_step", teacher.medianMsPerStep());
      json.put("peak_rss_mb", MemoryProbe.peakRssMb());
      json.put("filter", filterJson(pr, kept.size()));
      for (var e : methods.entrySet()) {
        json.put(e.getKey(), e.getValue().toMap());
      }
      json.put("dynamic_degree_calibration", evaluation.calibration().toMap());
      json.put("real_reference", realReference(fx, reference, heldOut, evaluation.calibration()));
      json.put(
          "speedup_euler4_vs_euler28",
          methods.get("teacher_euler28").wallMsPerClip()
              / methods.get("teacher_euler4").wallMsPerClip());
      json.put("rss_mb_series", rss);
      json.put("rss_growth_after_warmup_mb", rssGrowth(rss));
      json.put(
          "final_loss",
          Map.of("base", base.summary().lastLoss(), "teacher", teacher.summary().lastLoss()));
      writeContactSheet(heldOut, samples);
      // Last, so that nothing above runs after (or is changed by) the profile's fresh model.
      json.put(
          "efficiency",
          TrainingEfficiency.of(
              preset.model(),
              List.of(
                  new TrainingEfficiency.Phase(
                      TeacherTraining.BASE, preset.batchSize(), base.medianMsPerStep()),
                  new TrainingEfficiency.Phase(
                      TeacherTraining.TEACHER, preset.batchSize(), teacher.medianMsPerStep())),
              GemmPeak.measure(peakSizes(preset)),
              TrainStepProfile.run(preset, kept)));
      json.put("model", preset.model());
      json.put("data", preset.data());
      json.put("teacher_sampling", preset.trainSampling());
      json.put("held_out_clips", preset.heldOutClips());
      json.put("wall_s", (System.nanoTime() - start) / 1e9);
      // Every option, with its effective value, so the command reproduces this file.
      json.put(
          "command",
          "./magic bench teacher --preset "
              + preset.name()
              + " --results "
              + resultsDir
              + BenchResults.workOption(workDir)
              + variant.commandSuffix());
    }
    BenchResults.writeRendered(resultsDir, resultsName(), json, TeacherBenchTable::markdown);
    return json;
  }

  /** The GEMM sizes of the peak: one small size on the tiny preset (tests), else all. */
  static List<Integer> peakSizes(EnginePreset preset) {
    return "tiny".equals(preset.name()) ? List.of(256) : GemmPeak.SIZES;
  }

  /** A progress bar per phase; RSS every {@link #RSS_EVERY} steps, counted across phases. */
  private TeacherTraining.Listener trainingListener(List<double[]> rss) {
    return new TeacherTraining.Listener() {
      @Override
      public TrainingListener phaseStarted(String phase, TrainConfig config, long stepOffset) {
        progress.start("train " + phase, config.steps());
        return s -> {
          long step = s.step() + 1;
          progress.step(step, String.format(Locale.ROOT, "loss %.4f lr %.2e", s.loss(), s.lr()));
          if (step % RSS_EVERY == 0) {
            rss.add(new double[] {stepOffset + step, ResidentMemory.currentMb()});
          }
        };
      }

      @Override
      public void phaseEnded(String phase, TrainingPhase.Result result) {
        progress.endPhase(result);
      }
    };
  }

  /**
   * The floor: a second set of real clips scored like a method (FD real-vs-real, VBench of real).
   */
  static Map<String, Object> realReference(
      FeatureExtractor fx, List<Clip> reference, List<Clip> heldOut) {
    return realReference(fx, reference, heldOut, null);
  }

  /**
   * As {@link #realReference(FeatureExtractor, List, List)}, with {@code dynamic_degree} under
   * {@code calibration}'s threshold (VBench's default when null).
   */
  static Map<String, Object> realReference(
      FeatureExtractor fx,
      List<Clip> reference,
      List<Clip> heldOut,
      DynamicDegreeCalibration calibration) {
    List<float[]> firsts = reference.stream().map(c -> c.frame(0)).toList();
    Map<String, Object> m =
        new LinkedHashMap<>(Evaluation.evaluate(fx, reference, heldOut, firsts, 0, 0).toMap());
    m.remove("model_calls");
    m.remove("wall_ms_per_clip");
    VBenchMetrics vbench =
        calibration == null
            ? new VBenchMetrics(fx)
            : new VBenchMetrics(fx, calibration.dynamicDegree());
    m.put("vbench", vbench.compute(reference, firsts).toMap());
    return m;
  }

  static Map<String, Object> filterJson(PrecisionRecall pr, int kept) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("precision", pr.precision());
    m.put("recall", pr.recall());
    m.put("kept_portraits", kept);
    return m;
  }

  /** RSS at the end minus RSS once 10% of the steps are done (after warm-up). */
  static double rssGrowth(List<double[]> rss) {
    if (rss.size() < 2) {
      return 0;
    }
    double warm = rss.get(rss.size() / 10)[1];
    return rss.get(rss.size() - 1)[1] - warm;
  }

  private void writeContactSheet(List<Clip> heldOut, Map<String, List<Clip>> samples)
      throws IOException {
    List<Clip> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < SHEET_CLIPS; i++) {
      rows.add(heldOut.get(i));
      labels.add("real " + i);
      for (var e : samples.entrySet()) {
        rows.add(e.getValue().get(i));
        labels.add(e.getKey() + " " + i);
      }
    }
    ContactSheet.write(rows, labels, 2, resultsDir.resolve(resultsName() + "-samples.png"));
  }
}
