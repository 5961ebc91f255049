package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.eval.FeatureExtractor;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import com.magicdistill.engine.eval.MethodMetrics;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.ModelCheckpoints;
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
 * {@code magic bench distill-sweep}: what the issue asks to try when the paper's ordering does not
 * appear. From one teacher and one DMD-LoRA stage per LoRA rank, every arm continues for the same
 * number of generator updates and is evaluated like the paper table (4-step re-noising sampler, the
 * same held-out first frames and noise):
 *
 * <ul>
 *   <li>alpha_weak 0 (plain DMD2), 0.25, 0.5, 0.75 (docs/ALGORITHM.md#w2s);
 *   <li>the update ratio: 1 and 10 critic updates per generator update (5 is the default);
 *   <li>the LoRA rank: 4 and 16 (8 is the default), each from its own DMD-LoRA stage.
 * </ul>
 *
 * Results are rewritten after every arm, so a long sweep leaves usable partial results.
 */
public final class DistillSweepBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(DistillSweepBenchmark.class);
  private static final long NOISE_SEED = 4242;

  /** One arm: a LoRA rank (whose DMD-LoRA stage it continues) and the continuation's config. */
  record Arm(String name, int rank, DistillConfig config) {}

  private final DistillPreset preset;
  private final Path resultsDir;
  private final Path workDir;
  private final Path teacherDir;
  private final Progress progress;

  public DistillSweepBenchmark(
      DistillPreset preset, Path resultsDir, Path workDir, Path teacherDir, Progress progress) {
    if (teacherDir == null || !Files.isDirectory(teacherDir)) {
      throw new IllegalArgumentException(
          "--teacher: a teacher phase folder is required (got "
              + teacherDir
              + "); make one with ./magic bench teacher --preset "
              + preset.teacher().name()
              + " --work DIR and pass DIR/teacher");
    }
    this.preset = preset;
    this.resultsDir = resultsDir;
    this.workDir = workDir;
    this.teacherDir = teacherDir.toAbsolutePath().normalize();
    this.progress = progress;
  }

  /** The arms, in the order they run (the default-rank arms first). */
  List<Arm> arms() {
    DistillConfig base =
        preset.dmd().plainDmd().withIterations(preset.w2sIterations()).withCriticUpdates(5);
    int rank = preset.dmd().loraRank();
    float alpha = preset.alphaWeak();
    List<Arm> arms = new ArrayList<>();
    for (float a : new float[] {0f, 0.25f, 0.5f, 0.75f}) {
      arms.add(new Arm(String.format(Locale.ROOT, "alpha_%.2f", a), rank, base.withAlphaWeak(a)));
    }
    for (int critic : new int[] {1, 10}) {
      arms.add(
          new Arm(
              String.format(Locale.ROOT, "critic_%d_alpha_%.2f", critic, alpha),
              rank,
              base.withAlphaWeak(alpha).withCriticUpdates(critic)));
    }
    for (int r : new int[] {rank / 2, rank * 2}) {
      arms.add(
          new Arm(
              String.format(Locale.ROOT, "rank_%d_alpha_%.2f", r, alpha),
              r,
              base.withAlphaWeak(alpha).withLoraRank(r)));
    }
    return arms;
  }

  public Map<String, Object> run() throws IOException {
    long start = System.nanoTime();
    PresetData data = PresetData.of(preset.teacher());
    ObjectStore store = new LocalDirectoryStore(workDir);
    FeatureExtractor fx = FeatureExtractors.defaultExtractor();
    HeldOutEvaluation evaluation = new HeldOutEvaluation(fx, data.heldOut(), NOISE_SEED);
    ClipGenerator generator = evaluation.generator();
    var stages =
        new DistillStageRunner(data, fx, generator, progress, NOISE_SEED, preset.probeClips(), 0);
    Map<String, Object> rows = new LinkedHashMap<>();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(
        "command",
        "./magic bench distill-sweep --preset "
            + preset.teacher().name()
            + " --teacher "
            + teacherDir
            + " --generator-lr "
            + preset.dmd().generatorLr()
            + " --results "
            + resultsDir
            + BenchResults.workOption(workDir));
    json.put("teacher", teacherDir.toString());
    json.put("dmd_lora_iterations", preset.dmd().iterations());
    json.put("arm_iterations", preset.w2sIterations());
    json.put("generator_lr", preset.dmd().generatorLr());
    json.put("feature_extractor", fx.id());
    json.put("methods", rows);

    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT teacher =
          ModelCheckpoints.loadEma(
              new LocalDirectoryStore(teacherDir.getParent()),
              teacherDir.getFileName().toString(),
              root);
      rows.put("euler4", evaluate(teacher, SamplerKind.EULER, evaluation).toMap());
      Map<Integer, String> dmdStages = new LinkedHashMap<>();
      for (Arm arm : arms()) {
        String from = dmdStages.get(arm.rank());
        if (from == null) {
          from = "dmd-r" + arm.rank();
          stages.run(
              from,
              preset.dmd().plainDmd().withLoraRank(arm.rank()),
              null,
              teacher,
              store,
              root,
              null);
          rows.put(from + "_stage_end", evaluateStage(from, store, root, evaluation));
          dmdStages.put(arm.rank(), from);
          write(json, start);
        }
        var result = stages.run(arm.name(), arm.config(), from, teacher, store, root, null);
        Map<String, Object> row = evaluateStage(arm.name(), store, root, evaluation);
        row.put("alpha_weak", arm.config().alphaWeak());
        row.put("critic_updates", arm.config().criticUpdates());
        row.put("lora_rank", arm.rank());
        row.put("ms_per_iteration", result.medianMsPerIteration());
        rows.put(arm.name(), row);
        LOG.info("{}: {}", arm.name(), row);
        write(json, start);
      }
    }
    return json;
  }

  private Map<String, Object> evaluateStage(
      String stage, ObjectStore store, NDManager root, HeldOutEvaluation evaluation)
      throws IOException {
    try (NDManager m = root.newSubManager()) {
      VideoDiT g = ModelCheckpoints.loadEma(store, stage + "/generator", m);
      return new LinkedHashMap<>(evaluate(g, SamplerKind.RENOISE, evaluation).toMap());
    }
  }

  private static MethodMetrics evaluate(
      VideoDiT model, SamplerKind kind, HeldOutEvaluation evaluation) {
    return evaluation.score("sweep", kind, model, SigmaSchedule.FOUR_STEP).metrics();
  }

  private void write(Map<String, Object> json, long start) throws IOException {
    json.put("wall_s", (System.nanoTime() - start) / 1e9);
    String name = "distill-sweep-" + preset.teacher().name();
    BenchResults.write(resultsDir, name, json, markdown(json));
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Distillation sweep (").append(json.get("command")).append(")\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Each arm: %s generator updates continuing the DMD-LoRA stage (%s updates) of its LoRA"
                + " rank; generator lr %s. 4-step re-noising sampler, same held-out frames and"
                + " noise for every row.%n%n",
            json.get("arm_iterations"),
            json.get("dmd_lora_iterations"),
            json.get("generator_lr")));
    MetricsTable.header(sb, false);
    ((Map<String, Object>) json.get("methods"))
        .forEach((k, v) -> MetricsTable.row(sb, k, (Map<String, Object>) v, false));
    sb.append(
        String.format(Locale.ROOT, "%nWall time %.0f s.%n", MetricsTable.num(json, "wall_s")));
    return sb.toString();
  }
}
