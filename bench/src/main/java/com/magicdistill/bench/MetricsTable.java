package com.magicdistill.bench;

import java.util.Locale;
import java.util.Map;

/** Markdown rows of per-method metrics, shared by the benchmark reports. */
final class MetricsTable {
  static final String[] VBENCH = {
    "i2v_subject",
    "subject_consistency",
    "motion_smoothness",
    "dynamic_degree",
    "imaging_quality",
    "temporal_flickering",
    "avg"
  };

  private MetricsTable() {}

  static void header(StringBuilder sb, boolean speedup) {
    sb.append("| method | fd_frame | fd_clip | i2v | subj | smooth | dynamic | imaging | flicker");
    sb.append(" | avg | calls | ms/clip |").append(speedup ? " speed-up |" : "").append('\n');
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|");
    sb.append(speedup ? "---|" : "").append('\n');
  }

  /** One row; a reference row without model calls or timing shows dashes there. */
  @SuppressWarnings("unchecked")
  static void row(StringBuilder sb, String name, Map<String, Object> m, boolean speedup) {
    Map<String, Object> v = (Map<String, Object>) m.get("vbench");
    sb.append("| ").append(name);
    sb.append(String.format(Locale.ROOT, " | %.3f | %.3f", num(m, "fd_frame"), num(m, "fd_clip")));
    for (String d : VBENCH) {
      sb.append(String.format(Locale.ROOT, " | %.4f", num(v, d)));
    }
    sb.append(" | ").append(m.getOrDefault("model_calls", "-"));
    sb.append(" | ").append(format(m.get("wall_ms_per_clip"), "%.0f"));
    if (speedup) {
      sb.append(" | ").append(format(m.get("speedup_vs_euler28"), "%.1fx"));
    }
    sb.append(" |\n");
  }

  private static String format(Object value, String pattern) {
    return value == null
        ? "-"
        : String.format(Locale.ROOT, pattern, ((Number) value).doubleValue());
  }

  static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }
}
