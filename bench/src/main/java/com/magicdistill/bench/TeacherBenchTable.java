package com.magicdistill.bench;

import java.util.Locale;
import java.util.Map;

/** The short markdown table of {@code teacher-<preset>.md}. */
final class TeacherBenchTable {
  private static final String[] METHODS = {"base_euler28", "teacher_euler28", "teacher_euler4"};
  private static final String[] DIMS = {
    "i2v_subject",
    "subject_consistency",
    "motion_smoothness",
    "dynamic_degree",
    "imaging_quality",
    "temporal_flickering",
    "avg"
  };

  private TeacherBenchTable() {}

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Teacher benchmark, preset `").append(json.get("preset")).append("`\n\n");
    sb.append("Command: `").append(json.get("command")).append("`. Features: `");
    sb.append(json.get("feature_extractor")).append("`.\n\n");
    sb.append("| method | fd_frame | fd_clip | i2v | subj | smooth | dynamic | imaging | flicker");
    sb.append(" | avg | calls | ms/clip |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String m : METHODS) {
      row(sb, m, (Map<String, Object>) json.get(m));
    }
    row(sb, "real (2nd held-out set)", (Map<String, Object>) json.get("real_reference"));
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
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static void row(StringBuilder sb, String name, Map<String, Object> m) {
    Map<String, Object> v = (Map<String, Object>) m.get("vbench");
    sb.append("| ").append(name);
    sb.append(String.format(Locale.ROOT, " | %.3f | %.3f", num(m, "fd_frame"), num(m, "fd_clip")));
    for (String d : DIMS) {
      sb.append(String.format(Locale.ROOT, " | %.4f", num(v, d)));
    }
    Object calls = m.getOrDefault("model_calls", "-");
    Object ms = m.get("wall_ms_per_clip");
    sb.append(" | ").append(calls).append(" | ");
    sb.append(ms == null ? "-" : String.format(Locale.ROOT, "%.0f", ((Number) ms).doubleValue()));
    sb.append(" |\n");
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }
}
