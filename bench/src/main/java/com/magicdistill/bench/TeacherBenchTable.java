package com.magicdistill.bench;

import java.util.Locale;
import java.util.Map;

/** The short markdown table of {@code teacher-<preset>.md}. */
final class TeacherBenchTable {
  private static final String[] METHODS = {"base_euler28", "teacher_euler28", "teacher_euler4"};

  private TeacherBenchTable() {}

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    if (TeacherEfficiencyBenchmark.isEfficiencyOnly(json)) {
      return TeacherEfficiencyBenchmark.markdown(json);
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# Teacher benchmark, preset `").append(json.get("preset")).append("`");
    // docs/ALGORITHM.md#prediction-target
    Map<String, Object> model = (Map<String, Object>) json.getOrDefault("model", Map.of());
    Object prediction = model.get("prediction");
    if (prediction != null && !"velocity".equals(prediction)) {
      sb.append(", the model predicting ").append(prediction);
    }
    if (Boolean.TRUE.equals(model.get("patchSkip"))) {
      sb.append(", with a patch skip");
    }
    sb.append("\n\n");
    sb.append("Command: `").append(json.get("command")).append("`. Features: `");
    sb.append(json.get("feature_extractor")).append("`.\n\n");
    MetricsTable.header(sb, false);
    for (String m : METHODS) {
      MetricsTable.row(sb, m, (Map<String, Object>) json.get(m), false);
    }
    MetricsTable.row(
        sb, "real (2nd held-out set)", (Map<String, Object>) json.get("real_reference"), false);
    Map<String, Object> filter = (Map<String, Object>) json.get("filter");
    sb.append(
        String.format(
            Locale.ROOT,
            "%nTraining: %.0f ms/step (median), peak RSS %s MB, RSS growth after warm-up %.0f MB."
                + " Quality filter (rejecting poor clips): precision %.3f, recall %.3f."
                + " Euler-4 vs Euler-28 wall speed-up: %.1fx. Wall time %.0f s.%n",
            (double) json.get("train_ms_per_step"),
            json.get("peak_rss_mb"),
            (double) json.get("rss_growth_after_warmup_mb"),
            (double) filter.get("precision"),
            (double) filter.get("recall"),
            (double) json.get("speedup_euler4_vs_euler28"),
            (double) json.get("wall_s")));
    sb.append(TrainingEfficiency.markdown(json));
    return sb.toString();
  }
}
