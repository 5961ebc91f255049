package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.MultiHeadAttention;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.perf.GemmPeak;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.engine.train.FlowMatchingObjective;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.engine.train.Trainer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code magic bench teacher --only efficiency}: the efficiency line of the teacher benchmark in a
 * few minutes. Renders the preset's data, measures the fp32 GEMM peak, then times the teacher's
 * training step (the trainer's own step: batch, flow-matching loss, backward, clipping, AdamW, EMA)
 * on a fresh model of the preset's architecture, and splits it by phase and by operator kind
 * (docs/EVALUATION.md#training-efficiency). Writes {@code teacher-<preset>-efficiency}, apart from
 * the full benchmark's results.
 */
public final class TeacherEfficiencyBenchmark {
  static final int WARMUP = 3;
  static final int STEPS = 15;
  static final int PROFILED_STEPS = 2;
  static final int ATTENTION_RUNS = 10;

  /** What {@code --only} takes for this benchmark. */
  public static final String ONLY = "efficiency";

  private final EnginePreset preset;
  private final Path resultsDir;
  private final Progress progress;
  private final ModelVariant variant;

  public TeacherEfficiencyBenchmark(EnginePreset preset, Path resultsDir, Progress progress) {
    this(preset, ModelVariant.NONE, resultsDir, progress);
  }

  /**
   * @param variant other attention heads (same width: heads of dim / heads channels) or prediction
   *     target than the preset's model, or {@link ModelVariant#NONE} for the preset's model
   */
  public TeacherEfficiencyBenchmark(
      EnginePreset preset, ModelVariant variant, Path resultsDir, Progress progress) {
    this.variant = variant;
    this.preset = variant.apply(preset);
    this.resultsDir = resultsDir;
    this.progress = progress;
  }

  /**
   * The results name: {@code teacher-<preset>-efficiency}, with a variant e.g. {@code
   * teacher-<preset>-heads<N>-efficiency}.
   */
  public String resultsName() {
    return "teacher-" + preset.name() + variant.nameSuffix() + "-" + ONLY;
  }

  public Map<String, Object> run() throws IOException {
    long start = System.nanoTime();
    boolean tiny = "tiny".equals(preset.name());
    int warmup = tiny ? 1 : WARMUP;
    int steps = tiny ? 2 : STEPS;
    String omp = System.getenv("OMP_NUM_THREADS");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("preset", preset.name());
    json.put("only", ONLY);
    json.put(
        "command",
        (MultiHeadAttention.configured() == MultiHeadAttention.Kernel.EXPLICIT
                ? "MAGIC_JAVA_OPTS=\"-Xmx12g -D" + MultiHeadAttention.PROPERTY + "=explicit\" "
                : "")
            + (omp == null ? "" : "OMP_NUM_THREADS=" + omp + " ")
            + "./magic bench teacher --preset "
            + preset.name()
            + " --only "
            + ONLY
            + variant.commandSuffix());
    json.put("load_average_at_start", loadAverage());

    progress.start("render data", 1);
    List<Clip> kept = PresetData.of(preset).kept();
    progress.end();

    progress.start("GEMM peak", 1);
    GemmPeak.Result peak = GemmPeak.measure(TeacherBenchmark.peakSizes(preset));
    progress.end();

    TrainConfig cfg = preset.finetune();
    double[] stepMs = new double[steps];
    Map<String, Object> ops;
    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT model = VideoDiT.freshBase(preset.model(), cfg.seed(), root);
      var objective = new FlowMatchingObjective(kept, preset.batchSize(), preset.trainSampling());
      try (Trainer trainer = new Trainer(model, null, cfg, objective, null, null)) {
        progress.start("train steps", warmup + steps);
        for (int s = 0; s < warmup + steps; s++) {
          double ms = trainer.step().msPerStep();
          if (s >= warmup) {
            stepMs[s - warmup] = ms;
          }
          progress.step(s + 1, String.format(Locale.ROOT, "%.0f ms", ms));
        }
        progress.end();
        progress.start("operator profile", 1);
        ops = OpTimeProfile.record(trainer::step, tiny ? 1 : PROFILED_STEPS).toMap();
        progress.end();
      }
    }
    double median = Median.of(stepMs);
    progress.start("phase profile", 1);
    Map<String, Double> phases = TrainStepProfile.run(preset, kept);
    progress.end();

    json.put(
        "efficiency",
        TrainingEfficiency.of(
            preset.model(),
            List.of(
                new TrainingEfficiency.Phase(TeacherTraining.TEACHER, preset.batchSize(), median)),
            peak,
            phases));
    progress.start("attention alone", 1);
    json.put(
        "attention",
        AttentionTiming.measure(
            preset.model(), preset.batchSize(), warmup, tiny ? 2 : ATTENTION_RUNS, median));
    progress.end();
    json.put("step_ms", stepMs);
    json.put("warmup_steps", warmup);
    json.put("op_profile", ops);
    json.put("omp_num_threads", omp == null ? "unset (libtorch default)" : omp);
    json.put("load_average_at_end", loadAverage());
    json.put("model", preset.model());
    json.put("wall_s", (System.nanoTime() - start) / 1e9);
    BenchResults.write(resultsDir, resultsName(), json, markdown(json));
    return json;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Whether {@code json} is this benchmark's (the teacher renderer hands it over). */
  static boolean isEfficiencyOnly(Map<String, Object> json) {
    return ONLY.equals(json.get("only"));
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Teacher training efficiency, preset `").append(json.get("preset")).append("`\n\n");
    sb.append("Command: `").append(json.get("command")).append("`. ");
    sb.append(
        String.format(
            Locale.ROOT,
            "Load average %.1f at start, %.1f at end. Wall time %.0f s.%n",
            MetricsTable.num(json, "load_average_at_start"),
            MetricsTable.num(json, "load_average_at_end"),
            MetricsTable.num(json, "wall_s")));
    sb.append(TrainingEfficiency.markdown(json));
    Map<String, Object> attention = (Map<String, Object>) json.get("attention");
    if (attention != null) {
      Map<String, Object> e = (Map<String, Object>) json.get("efficiency");
      Map<String, Object> teacher =
          (Map<String, Object>)
              ((Map<String, Object>) e.get("phases")).get(TeacherTraining.TEACHER);
      Map<String, Object> kernels = (Map<String, Object>) attention.get("kernels");
      sb.append(
          String.format(
              Locale.ROOT,
              "%nAttention alone (%s), %.1f of the step's %.1f GFLOP (%.0f%%):",
              attention.get("method"),
              MetricsTable.num(attention, "gflop_per_step"),
              MetricsTable.num(teacher, "gflop_per_step"),
              100
                  * MetricsTable.num(attention, "gflop_per_step")
                  / MetricsTable.num(teacher, "gflop_per_step")));
      for (var k : kernels.entrySet()) {
        Map<String, Object> row = (Map<String, Object>) k.getValue();
        sb.append(
            String.format(
                Locale.ROOT,
                " %s %.0f ms per step (%.1f GFLOP/s);",
                k.getKey(),
                MetricsTable.num(row, "ms_per_step"),
                MetricsTable.num(row, "achieved_gflops")));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              " fused / explicit %.3f. The step used %s: attention %.0f%% of it.%n",
              MetricsTable.num(attention, "fused_over_explicit"),
              attention.get("configured"),
              100 * MetricsTable.num(attention, "share_of_step")));
    }
    Map<String, Object> ops = (Map<String, Object>) json.get("op_profile");
    Map<String, Object> parts = (Map<String, Object>) ops.get("parts");
    sb.append("\nOperator self time, ms per step (").append(ops.get("method")).append("):\n\n");
    sb.append("| kind |");
    parts.keySet().forEach(p -> sb.append(' ').append(p).append(" |"));
    sb.append("\n|---|");
    parts.keySet().forEach(p -> sb.append("---|"));
    sb.append('\n');
    Map<String, Object> first = (Map<String, Object>) parts.values().iterator().next();
    for (String kind : ((Map<String, Object>) first.get("by_kind_ms")).keySet()) {
      sb.append("| ").append(kind).append(" |");
      for (Object p : parts.values()) {
        Map<String, Object> byKind =
            (Map<String, Object>) ((Map<String, Object>) p).get("by_kind_ms");
        sb.append(String.format(Locale.ROOT, " %.1f |", MetricsTable.num(byKind, kind)));
      }
      sb.append('\n');
    }
    sb.append("| total |");
    for (Object p : parts.values()) {
      sb.append(
          String.format(Locale.ROOT, " %.1f |", MetricsTable.num((Map<String, Object>) p, "ms")));
    }
    sb.append(
        "\n\nOperators with the most self time:\n\n| part | operator | kind | ms/step | calls/step |\n|---|---|---|---|---|\n");
    for (Map<String, Object> row : (List<Map<String, Object>>) ops.get("top_ops")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | `%s` | %s | %.1f | %s |%n",
              row.get("part"),
              row.get("op"),
              row.get("kind"),
              MetricsTable.num(row, "self_ms"),
              row.get("calls")));
    }
    return sb.toString();
  }
}
