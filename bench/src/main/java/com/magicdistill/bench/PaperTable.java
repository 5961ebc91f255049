package com.magicdistill.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown of {@code paper-table-<preset>.md}: the miniature of RECIPE section 7's table. */
final class PaperTable {
  private static final String[] DIMS = {
    "i2v_subject",
    "subject_consistency",
    "motion_smoothness",
    "dynamic_degree",
    "imaging_quality",
    "temporal_flickering",
    "avg"
  };

  private PaperTable() {}

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Paper table in miniature, preset `").append(json.get("preset")).append("`\n\n");
    sb.append("Command: `").append(json.get("command")).append("`. Features: `");
    sb.append(json.get("feature_extractor")).append("`. Teacher: ");
    sb.append(json.get("teacher")).append(".\n\n");
    sb.append("| method | fd_frame | fd_clip | i2v | subj | smooth | dynamic | imaging | flicker");
    sb.append(" | avg | calls | ms/clip | speed-up |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    Map<String, Object> methods = (Map<String, Object>) json.get("methods");
    for (var e : methods.entrySet()) {
      Map<String, Object> m = (Map<String, Object>) e.getValue();
      Map<String, Object> v = (Map<String, Object>) m.get("vbench");
      sb.append("| ").append(e.getKey());
      sb.append(
          String.format(Locale.ROOT, " | %.3f | %.3f", num(m, "fd_frame"), num(m, "fd_clip")));
      for (String d : DIMS) {
        sb.append(String.format(Locale.ROOT, " | %.4f", num(v, d)));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              " | %d | %.0f | %.1fx |%n",
              ((Number) m.get("model_calls")).longValue(),
              num(m, "wall_ms_per_clip"),
              num(m, "speedup_vs_euler28")));
    }
    sb.append("\nCurves (fd_clip of the EMA generator vs generator iteration; ");
    sb.append(json.get("curve_note")).append("):\n\n");
    Map<String, List<double[]>> curves = (Map<String, List<double[]>>) json.get("curves");
    for (var e : curves.entrySet()) {
      sb.append("- ").append(e.getKey()).append(":");
      for (double[] p : e.getValue()) {
        sb.append(String.format(Locale.ROOT, " %.0f:%.3f", p[0], p[1]));
      }
      sb.append("\n");
    }
    sb.append(String.format(Locale.ROOT, "%nWall time %.0f s.%n", num(json, "wall_s")));
    return sb.toString();
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }
}
