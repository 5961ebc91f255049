package com.magicdistill.bench;

import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.perf.GemmPeak;
import com.magicdistill.engine.perf.ModelFlops;
import com.magicdistill.engine.perf.NativeAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code efficiency} block of the teacher and paper-table results: model FLOPs per training
 * step counted from the shapes, the fp32 GEMM peak measured in the same process, and MFU = achieved
 * / peak per training phase (docs/EVALUATION.md#training-efficiency).
 */
final class TrainingEfficiency {
  /** A training phase: its batch size and median wall milliseconds per step. */
  record Phase(String name, int batch, double msPerStep) {}

  private TrainingEfficiency() {}

  /**
   * @param phases the phases to score (empty when no training ran in this process)
   * @param profile rough per-step split (data, forward, backward, optimizer), or null
   */
  static Map<String, Object> of(
      DitConfig model, List<Phase> phases, GemmPeak.Result peak, Map<String, Double> profile) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "formula",
        "train FLOPs per step = "
            + ModelFlops.TRAIN_MULTIPLIER
            + " x batch x forward GEMM FLOPs per sample (docs/EVALUATION.md#training-efficiency)");
    long forward = ModelFlops.forwardPerSample(model);
    m.put("forward_gflop_per_sample", forward / 1e9);
    Map<String, Double> parts = new LinkedHashMap<>();
    ModelFlops.forwardParts(model).forEach((k, v) -> parts.put(k, v / 1e9));
    m.put("forward_gflop_parts", parts);
    m.put("gemm_peak", peak.toMap());
    m.put("native_allocator", NativeAllocator.current().toMap());
    Map<String, Object> byPhase = new LinkedHashMap<>();
    for (Phase p : phases) {
      double gflop = ModelFlops.trainStep(model, p.batch()) / 1e9;
      double achieved = gflop / (p.msPerStep() / 1e3);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("batch", p.batch());
      row.put("gflop_per_step", gflop);
      row.put("ms_per_step", p.msPerStep());
      row.put("achieved_gflops", achieved);
      row.put("mfu", achieved / peak.gflops());
      byPhase.put(p.name(), row);
    }
    m.put("phases", byPhase);
    if (!phases.isEmpty()) {
      m.put("linear_gemm_gflops", linearGemmRate(model, phases.get(0).batch()));
    }
    if (profile != null) {
      m.put("profile_ms_per_step", profile);
    }
    return m;
  }

  /**
   * The rate of the forward pass's token-wise linear GEMMs at their own shapes (rows = batch x
   * tokens): total FLOPs over total median time. The ceiling these small products allow.
   */
  static double linearGemmRate(DitConfig c, int batch) {
    long rows = (long) batch * c.tokens();
    long d = c.dim();
    long h = (long) c.mlpRatio() * d;
    long[][] shapes = {
      {DitConfig.IN_CHANNELS * c.patchVolume(), d}, {d, 3 * d}, {d, d}, {d, h}, {h, d}
    };
    double flops = 0;
    double seconds = 0;
    for (long[] s : shapes) {
      double f = 2.0 * rows * s[0] * s[1];
      flops += f;
      seconds += f / (GemmPeak.rate(rows, s[0], s[1]) * 1e9);
    }
    return flops / seconds / 1e9;
  }

  /** One markdown paragraph, or "" when the results have no efficiency block. */
  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    Map<String, Object> e = (Map<String, Object>) json.get("efficiency");
    if (e == null) {
      return "";
    }
    Map<String, Object> peak = (Map<String, Object>) e.get("gemm_peak");
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nEfficiency (docs/EVALUATION.md#training-efficiency): forward %.3f GFLOP per sample;"
                + " fp32 GEMM peak %.1f GFLOP/s (%s threads)",
            MetricsTable.num(e, "forward_gflop_per_sample"),
            MetricsTable.num(peak, "gflops"),
            peak.get("threads")));
    if (e.containsKey("linear_gemm_gflops")) {
      sb.append(
          String.format(
              Locale.ROOT,
              ", the model's linear GEMM shapes %.1f GFLOP/s",
              MetricsTable.num(e, "linear_gemm_gflops")));
    }
    sb.append(".");
    Map<String, Object> alloc = (Map<String, Object>) e.get("native_allocator");
    if (alloc != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              " Native memory (docs/EVALUATION.md#native-memory): %s.",
              NativeAllocator.fromMap(alloc).describe()));
    }
    Map<String, Object> phases = (Map<String, Object>) e.get("phases");
    for (var p : phases.entrySet()) {
      Map<String, Object> row = (Map<String, Object>) p.getValue();
      sb.append(
          String.format(
              Locale.ROOT,
              " %s: %.3f GFLOP/step (batch %s) at %.0f ms = %.2f GFLOP/s, MFU %.1f%%.",
              p.getKey(),
              MetricsTable.num(row, "gflop_per_step"),
              row.get("batch"),
              MetricsTable.num(row, "ms_per_step"),
              MetricsTable.num(row, "achieved_gflops"),
              100 * MetricsTable.num(row, "mfu")));
    }
    if (phases.isEmpty()) {
      sb.append(" No training step ran in this process (teacher reused).");
    }
    Map<String, Object> profile = (Map<String, Object>) e.get("profile_ms_per_step");
    if (profile != null) {
      sb.append(" Profile, ms per step:");
      for (var p : profile.entrySet()) {
        sb.append(
            String.format(
                Locale.ROOT, " %s %.1f", p.getKey(), ((Number) p.getValue()).doubleValue()));
      }
      sb.append(".");
    }
    sb.append("\n");
    return sb.toString();
  }
}
