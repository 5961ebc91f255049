package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistillationStages;
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
 * row per method. Seed 0 is probed for the curves, and its clips (contact sheet) and models
 * (side-by-side timing) are kept; a later seed's models are freed once scored.
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
  private final Map<String, List<SeedRun>> runs = new LinkedHashMap<>();
  private final List<Map<String, Object>> trainingSeeds = new ArrayList<>();
  private final List<Double> lcmMs = new ArrayList<>();
  private final List<Double> dmdMs = new ArrayList<>();
  private final List<Double> w2sMs = new ArrayList<>();

  DistilledSeeds(
      DistillPreset preset,
      int seeds,
      PresetData data,
      VideoDiT teacher,
      ObjectStore store,
      DistillStageRunner stages,
      HeldOutEvaluation evaluation,
      SamplerTiming timed,
      Progress progress) {
    this.preset = preset;
    this.seeds = seeds;
    this.data = data;
    this.teacher = teacher;
    this.store = store;
    this.stages = stages;
    this.evaluation = evaluation;
    this.timed = timed;
    this.progress = progress;
    METHODS.forEach(m -> runs.put(m, new ArrayList<>()));
  }

  /**
   * Trains and scores every seed; seed 0's clips go to {@code samples} and its fd_clip curves to
   * {@code curves}.
   */
  void run(NDManager root, Map<String, List<Clip>> samples, Map<String, List<double[]>> curves)
      throws IOException {
    for (int k = 0; k < seeds; k++) {
      // A later seed's figures are plain arrays once scored: its models can go.
      NDManager manager = k == 0 ? root : root.newSubManager();
      try {
        train(seed(preset, k), manager, samples, curves);
      } finally {
        if (k > 0) {
          manager.close();
        }
      }
    }
  }

  private void train(
      Seed seed,
      NDManager manager,
      Map<String, List<Clip>> samples,
      Map<String, List<double[]>> curves)
      throws IOException {
    long start = System.nanoTime();
    String at = seed.prefix();
    Scorer scorer = new Scorer(seed.index(), samples);
    progress.start("distill " + at + "lcm", seed.lcm().steps());
    var lcm =
        new LcmDistillation(seed.lcm())
            .run(
                manager,
                teacher,
                data.kept(),
                CheckpointedRun.<TrainingListener>fresh(store, at + "lcm")
                    .listenedBy(s -> progress.step(s.step() + 1, loss(s.loss()))));
    progress.end();
    lcmMs.add(lcm.medianMsPerStep());
    scorer.score("lcm4", lcm.student(), SamplerKind.RENOISE, SigmaSchedule.FOUR_STEP);

    DistillationStages recipe = seed.stages();
    DistillConfig dmd = recipe.dmd();
    DistillConfig w2s = recipe.w2s();
    // The curves come from seed 0; the other seeds train without probes.
    boolean probed = seed.index() == 0;
    List<double[]> shared = new ArrayList<>();
    var dmdStage =
        stages.run(at + "dmd", dmd, null, teacher, store, manager, probed ? shared : null);
    dmdMs.add(dmdStage.medianMsPerIteration());
    List<double[]> w2sCurve = new ArrayList<>(shared);
    var w2sStage =
        stages.run(at + "w2s", w2s, at + "dmd", teacher, store, manager, probed ? w2sCurve : null);
    w2sMs.add(w2sStage.medianMsPerIteration());
    List<double[]> dmdCurve = new ArrayList<>(shared);
    stages.run(
        at + "dmd-control",
        recipe.control(),
        at + "dmd",
        teacher,
        store,
        manager,
        probed ? dmdCurve : null);
    stages.run(at + "w2s-reg", w2s.withRegression(true), at + "dmd", teacher, store, manager, null);
    if (probed) {
      curves.put("dmd", dmdCurve);
      curves.put("w2s", w2sCurve);
    }
    scorer.checkpoint("dmd4", at + "dmd-control", manager);
    scorer.checkpoint("w2s4", at + "w2s", manager);
    scorer.checkpoint("w2s4_reg", at + "w2s-reg", manager);
    scorer.checkpoint("dmd4_stage_end", at + "dmd", manager);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("index", seed.index());
    row.put("distill_seed", dmd.seed());
    row.put("lcm_seed", seed.lcm().seed());
    row.put("checkpoint_prefix", at);
    row.put("wall_s", (System.nanoTime() - start) / 1e9);
    trainingSeeds.add(row);
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
    t.put("lcm_ms_per_step", Median.of(lcmMs));
    t.put("dmd_ms_per_iteration", Median.of(dmdMs));
    t.put("w2s_ms_per_iteration", Median.of(w2sMs));
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
