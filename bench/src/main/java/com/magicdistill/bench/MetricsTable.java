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
    header(sb, speedup, false);
  }

  /**
   * @param fidelity also the 95% interval of fd_clip, the paired motion ratio with its interval and
   *     the training seeds (results written before these existed render without them)
   */
  static void header(StringBuilder sb, boolean speedup, boolean fidelity) {
    sb.append("| method | fd_frame | fd_clip |");
    sb.append(fidelity ? " fd_clip 95% | motion | motion 95% |" : "");
    sb.append(" i2v | subj | smooth | dynamic | imaging | flicker");
    sb.append(" | avg | calls | ms/clip |").append(speedup ? " speed-up |" : "");
    sb.append(fidelity ? " seeds |" : "").append('\n');
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|");
    sb.append(speedup ? "---|" : "").append(fidelity ? "---|---|---|---|" : "").append('\n');
  }

  static void row(StringBuilder sb, String name, Map<String, Object> m, boolean speedup) {
    row(sb, name, m, speedup, false);
  }

  /**
   * One row; a reference row without model calls or timing (or a figure it lacks) shows dashes
   * there.
   */
  @SuppressWarnings("unchecked")
  static void row(
      StringBuilder sb, String name, Map<String, Object> m, boolean speedup, boolean fidelity) {
    Map<String, Object> v = (Map<String, Object>) m.get("vbench");
    sb.append("| ").append(name);
    sb.append(String.format(Locale.ROOT, " | %.3f | %.3f", num(m, "fd_frame"), num(m, "fd_clip")));
    if (fidelity) {
      Map<String, Object> ci = (Map<String, Object>) m.getOrDefault("ci95", Map.of());
      sb.append(" | ").append(interval(ci.get("fd_clip")));
      sb.append(" | ").append(format(m.get("motion_ratio"), "%.3f"));
      sb.append(" | ").append(interval(ci.get("motion_ratio")));
    }
    for (String d : VBENCH) {
      sb.append(String.format(Locale.ROOT, " | %.4f", num(v, d)));
    }
    sb.append(" | ").append(m.getOrDefault("model_calls", "-"));
    sb.append(" | ").append(format(m.get("wall_ms_per_clip"), "%.0f"));
    if (speedup) {
      sb.append(" | ").append(format(m.get("speedup_vs_euler28"), "%.1fx"));
    }
    if (fidelity) {
      sb.append(" | ").append(m.getOrDefault("seeds", "-"));
    }
    sb.append(" |\n");
  }

  /** {@code [lo, hi]} of a {@code ci95} entry, or a dash. */
  @SuppressWarnings("unchecked")
  private static String interval(Object ci) {
    if (ci == null) {
      return "-";
    }
    Map<String, Object> c = (Map<String, Object>) ci;
    return String.format(Locale.ROOT, "[%.3f, %.3f]", num(c, "lo"), num(c, "hi"));
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
