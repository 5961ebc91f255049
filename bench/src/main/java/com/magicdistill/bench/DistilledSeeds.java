package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistillationStages;
import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.distill.GeneratorExport;
import com.magicdistill.engine.distill.lcm.LcmConfig;
import com.magicdistill.engine.distill.lcm.LcmDistillation;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import com.magicdistill.engine.eval.SeedPooling;
import com.magicdistill.engine.eval.SeedRun;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper table's distilled rows, trained once per training seed
 * (docs/EVALUATION.md#training-seeds): for seed {@code k}, the LCM baseline and the DMD-LoRA, W2S,
 * DMD-control and W2S-with-regression stages with the preset's seeds plus {@code k * SEED_STRIDE},
 * under checkpoint prefix {@code seed-k/} (seed 0 where a single run put them); each model's clips
 * are scored on the shared held-out frames and noise without intervals, and {@link #pool} makes one
 * row per method. Seed 0's checkpoints are probed for the curves, and its clips (contact sheet) and
 * models (side-by-side timing) are kept; a later seed's models are freed once scored. A seed can be
 * trained by another process ({@code --train-seed}, {@link TrainedSeeds}); it is then only scored.
 */
final class DistilledSeeds {
  private static final Logger LOG = LoggerFactory.getLogger(DistilledSeeds.class);

  /** The rows trained once per training seed, in table order. */
  static final List<String> METHODS = List.of("lcm4", "dmd4", "w2s4", "w2s4_reg", "dmd4_stage_end");

  /**
   * Seed {@code k} adds {@code k} times this to the preset's seeds (a stage's critic optimiser
   * takes the stage seed + 1, so consecutive seeds would overlap).
   */
  static final long SEED_STRIDE = 1000;

  /** One training seed's configs and where its checkpoints go. */
  record Seed(int index, DistillationStages stages, LcmConfig lcm, String prefix) {}

  /** Training seed {@code k} of {@code preset}. */
  static Seed seed(DistillPreset preset, int k) {
    long offset = SEED_STRIDE * k;
    return new Seed(
        k,
        preset.withDmd(preset.dmd().withSeed(preset.dmd().seed() + offset)).stages(),
        preset.lcm().withSeed(preset.lcm().seed() + offset),
        k == 0 ? "" : "seed-" + k + "/");
  }

  private final DistillPreset preset;
  private final int seeds;
  private final PresetData data;
  private final VideoDiT teacher;
  private final ObjectStore store;
  private final DistillStageRunner stages;
  private final HeldOutEvaluation evaluation;
  private final SamplerTiming timed;
  private final Progress progress;
  private final TrainedSeeds trained;
  private final String command;
  private final Map<String, List<SeedRun>> runs = new LinkedHashMap<>();
  private final List<Map<String, Object>> trainingSeeds = new ArrayList<>();
  private final List<Double> lcmMs = new ArrayList<>();
  private final List<Double> dmdMs = new ArrayList<>();
  private final List<Double> w2sMs = new ArrayList<>();

  /**
   * @param trained the seeds already trained in the work folder (by this run or another process)
   * @param command this process's command, recorded with each seed it trains
   */
  DistilledSeeds(
      DistillPreset preset,
      int seeds,
      PresetData data,
      VideoDiT teacher,
      ObjectStore store,
      DistillStageRunner stages,
      HeldOutEvaluation evaluation,
      SamplerTiming timed,
      Progress progress,
      TrainedSeeds trained,
      String command) {
    this.preset = preset;
    this.seeds = seeds;
    this.data = data;
    this.teacher = teacher;
    this.store = store;
    this.stages = stages;
    this.evaluation = evaluation;
    this.timed = timed;
    this.progress = progress;
    this.trained = trained;
    this.command = command;
    METHODS.forEach(m -> runs.put(m, new ArrayList<>()));
  }

  /**
   * Trains every seed not yet trained in the work folder (waiting for one another process is
   * training) and scores them all; seed 0's clips go to {@code samples} and its fd_clip curves,
   * probed from its checkpoints, to {@code curves}.
   */
  void run(NDManager root, Map<String, List<Clip>> samples, Map<String, List<double[]>> curves)
      throws IOException {
    for (int k = 0; k < seeds; k++) {
      Seed seed = seed(preset, k);
      // A later seed's figures are plain arrays once scored: its models can go.
      NDManager manager = k == 0 ? root : root.newSubManager();
      try {
        Map<String, Object> record = trainedOrTrain(seed, manager);
        trainingSeeds.add(record);
        addTimings(record);
        score(seed, manager, samples);
        if (k == 0) {
          curves.putAll(curves(seed, manager));
        }
      } finally {
        if (k > 0) {
          manager.close();
        }
      }
    }
  }

  /**
   * Trains seed {@code k} only ({@code --train-seed}), unless the work folder has it already; the
   * run without {@code --train-seed} scores it.
   */
  Map<String, Object> trainOnly(int k, NDManager root) throws IOException {
    try (NDManager manager = root.newSubManager()) {
      return trainedOrTrain(seed(preset, k), manager);
    }
  }

  /** The seed's record, training it first (resuming what a stopped process left) if need be. */
  private Map<String, Object> trainedOrTrain(Seed seed, NDManager manager) throws IOException {
    try (var held = trained.lock(seed.index())) {
      Map<String, Object> record = trained.load(seed.index());
      if (record == null) {
        record = train(seed, manager);
        trained.save(seed.index(), record);
      }
      return record;
    }
  }

  /**
   * Trains the seed's LCM and four stages, each continuing from its own newest checkpoint if a
   * stopped process left one, and returns its record: seeds, checkpoint prefix, this process's
   * command and wall time, and the median timings of the updates it ran (null where it ran none).
   */
  private Map<String, Object> train(Seed seed, NDManager manager) throws IOException {
    long start = System.nanoTime();
    String at = seed.prefix();
    boolean[] resumed = {false};
    progress.start("distill " + at + "lcm", seed.lcm().steps());
    LcmDistillation.Result lcm;
    try (NDManager m = manager.newSubManager()) {
      lcm =
          new LcmDistillation(seed.lcm())
              .run(
                  m,
                  teacher,
                  data.kept(),
                  CheckpointedRun.<TrainingListener>fresh(store, at + "lcm")
                      .resuming(true)
                      .listenedBy(s -> progress.step(s.step() + 1, loss(s.loss()))));
    }
    progress.end();
    resumed[0] |= lcm.resumed();
    DistillStageRunner.Resumed told = (iteration, checkpoint) -> resumed[0] = true;
    DistillationStages recipe = seed.stages();
    DistillConfig dmd = recipe.dmd();
    DistillConfig w2s = recipe.w2s();
    var dmdStage = stage(at + "dmd", dmd, null, manager, told);
    var w2sStage = stage(at + "w2s", w2s, at + "dmd", manager, told);
    stage(at + "dmd-control", recipe.control(), at + "dmd", manager, told);
    stage(at + "w2s-reg", w2s.withRegression(true), at + "dmd", manager, told);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("index", seed.index());
    row.put("distill_seed", dmd.seed());
    row.put("lcm_seed", seed.lcm().seed());
    row.put("checkpoint_prefix", at);
    row.put("wall_s", (System.nanoTime() - start) / 1e9);
    row.put("trained_by", command);
    if (resumed[0]) {
      row.put("resumed", true);
    }
    row.put("lcm_ms_per_step", finiteOrNull(lcm.medianMsPerStep()));
    row.put("dmd_ms_per_iteration", finiteOrNull(dmdStage.medianMsPerIteration()));
    row.put("w2s_ms_per_iteration", finiteOrNull(w2sStage.medianMsPerIteration()));
    return row;
  }

  private DistributionMatching.Result stage(
      String name,
      DistillConfig cfg,
      String initFrom,
      NDManager manager,
      DistillStageRunner.Resumed resumed)
      throws IOException {
    return stages.run(name, cfg, initFrom, teacher, store, manager, null, false, null, resumed);
  }

  private void addTimings(Map<String, Object> record) {
    add(lcmMs, record.get("lcm_ms_per_step"));
    add(dmdMs, record.get("dmd_ms_per_iteration"));
    add(w2sMs, record.get("w2s_ms_per_iteration"));
  }

  private static void add(List<Double> to, Object value) {
    if (value instanceof Number n) {
      to.add(n.doubleValue());
    }
  }

  private static Double medianOrNull(List<Double> values) {
    return values.isEmpty() ? null : Median.of(values);
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** Scores the seed's models from their checkpoints (the LCM's and each stage's EMA weights). */
  private void score(Seed seed, NDManager manager, Map<String, List<Clip>> samples)
      throws IOException {
    String at = seed.prefix();
    Scorer scorer = new Scorer(seed.index(), samples);
    scorer.score(
        "lcm4",
        ModelCheckpoints.loadEma(store, at + "lcm", manager),
        SamplerKind.RENOISE,
        SigmaSchedule.FOUR_STEP);
    scorer.checkpoint("dmd4", at + "dmd-control", manager);
    scorer.checkpoint("w2s4", at + "w2s", manager);
    scorer.checkpoint("w2s4_reg", at + "w2s-reg", manager);
    scorer.checkpoint("dmd4_stage_end", at + "dmd", manager);
  }

  /**
   * The fd_clip curves of DMD and W2S, probed from the seed's checkpoints: both share the DMD-LoRA
   * stage (from the generator as built from the teacher), then W2S and the plain-DMD control.
   */
  private Map<String, List<double[]>> curves(Seed seed, NDManager manager) throws IOException {
    String at = seed.prefix();
    DistillationStages recipe = seed.stages();
    DistillConfig dmd = recipe.dmd();
    List<double[]> shared =
        stages.curveFromCheckpoints(at + "dmd", dmd, teacher, store, manager, 0, true);
    List<double[]> w2sCurve = new ArrayList<>(shared);
    w2sCurve.addAll(
        stages.curveFromCheckpoints(
            at + "w2s", recipe.w2s(), teacher, store, manager, dmd.iterations(), false));
    List<double[]> dmdCurve = new ArrayList<>(shared);
    dmdCurve.addAll(
        stages.curveFromCheckpoints(
            at + "dmd-control",
            recipe.control(),
            teacher,
            store,
            manager,
            dmd.iterations(),
            false));
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    curves.put("dmd", dmdCurve);
    curves.put("w2s", w2sCurve);
    return curves;
  }

  /** One row from all seeds of {@code method}: the mean, intervals over seeds and clips. */
  SeedPooling.Pooled pool(String method) {
    return evaluation.pool(runs.get(method));
  }

  /** Index, distill and LCM seeds, checkpoint prefix and wall seconds of each training seed. */
  List<Map<String, Object>> trainingSeeds() {
    return trainingSeeds;
  }

  /** Medians over seeds of the per-step timings, and each seed's. */
  Map<String, Object> timings() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("lcm_ms_per_step", medianOrNull(lcmMs));
    t.put("dmd_ms_per_iteration", medianOrNull(dmdMs));
    t.put("w2s_ms_per_iteration", medianOrNull(w2sMs));
    t.put("lcm_ms_per_step_by_seed", lcmMs);
    t.put("dmd_ms_per_iteration_by_seed", dmdMs);
    t.put("w2s_ms_per_iteration_by_seed", w2sMs);
    return t;
  }

  /** Scores one seed's models; seed 0's clips and models are kept. */
  private final class Scorer {
    private final int seed;
    private final Map<String, List<Clip>> samples;

    Scorer(int seed, Map<String, List<Clip>> samples) {
      this.seed = seed;
      this.samples = samples;
    }

    void checkpoint(String method, String stagePrefix, NDManager manager) throws IOException {
      VideoDiT g = ModelCheckpoints.loadEma(store, stagePrefix + "/generator", manager);
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

  private static String loss(float v) {
    return String.format(Locale.ROOT, "loss %.4f", v);
  }
}
