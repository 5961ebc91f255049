package com.magicdistill.bench;

import com.magicdistill.engine.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper table's targets (issue 11, "Figures this issue must show"), checked on the table's
 * {@code methods} as the JSON holds them: W2S-4 beats DMD2-4, LCM-4 and Euler-4 on fd_clip (lower)
 * and VBench avg (higher), with fd_clip intervals apart from Euler-4's and LCM-4's; W2S-4 keeps at
 * least 0.8 of Euler-28's motion ratio while Euler-4 keeps less; W2S-4's fd_clip is within 10% of
 * Euler-28's; W2S-4 is at least 6x faster than Euler-28. Fixed before any method was scored on the
 * paper-v2 teacher; a target whose rows are missing is not checked.
 */
final class PaperTableTargets {
  static final String SUBJECT = "w2s4";
  static final double MOTION_KEPT = 0.8;
  static final double FD_CLIP_OF_EULER28 = 1.10;
  static final double SPEEDUP = 6.0;

  /** One target: what it asks, the figures it compares, and whether they meet it. */
  record Check(String target, String figures, boolean met) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target", target);
      m.put("figures", figures);
      m.put("met", met);
      return m;
    }
  }

  private PaperTableTargets() {}

  /**
   * The checks whose rows are in {@code table} (method name to its row, as written to the JSON or
   * read back from it).
   */
  @SuppressWarnings("unchecked")
  static List<Check> of(Map<String, Object> table) {
    Map<String, Map<String, Object>> methods = Json.MAPPER.convertValue(table, Map.class);
    List<Check> checks = new ArrayList<>();
    Map<String, Object> w2s = methods.get(SUBJECT);
    if (w2s == null) {
      return checks;
    }
    for (String rival : List.of("dmd4", "lcm4", "euler4")) {
      Map<String, Object> r = methods.get(rival);
      if (r == null) {
        continue;
      }
      double a = num(w2s, "fd_clip");
      double b = num(r, "fd_clip");
      checks.add(
          new Check(
              "w2s4 fd_clip below " + rival,
              String.format(Locale.ROOT, "%.4f vs %.4f", a, b),
              a < b));
      double va = avg(w2s);
      double vb = avg(r);
      checks.add(
          new Check(
              "w2s4 vbench.avg above " + rival,
              String.format(Locale.ROOT, "%.4f vs %.4f", va, vb),
              va > vb));
    }
    double[] a = interval(w2s);
    for (String rival : List.of("euler4", "lcm4")) {
      Map<String, Object> r = methods.get(rival);
      double[] b = r == null ? null : interval(r);
      if (a == null || b == null) {
        continue;
      }
      checks.add(
          new Check(
              "w2s4 fd_clip 95% interval below " + rival + "'s",
              String.format(Locale.ROOT, "[%.4f, %.4f] vs [%.4f, %.4f]", a[0], a[1], b[0], b[1]),
              a[1] < b[0]));
    }
    Map<String, Object> e28 = methods.get("euler28");
    if (e28 != null && e28.get("motion_ratio") != null && w2s.get("motion_ratio") != null) {
      double base = num(e28, "motion_ratio");
      double kept = num(w2s, "motion_ratio") / base;
      checks.add(
          new Check(
              "w2s4 motion_ratio at least " + MOTION_KEPT + " of euler28's",
              String.format(Locale.ROOT, "%.3fx", kept),
              kept >= MOTION_KEPT));
      Map<String, Object> e4 = methods.get("euler4");
      if (e4 != null && e4.get("motion_ratio") != null) {
        double lost = num(e4, "motion_ratio") / base;
        checks.add(
            new Check(
                "euler4 motion_ratio below " + MOTION_KEPT + " of euler28's",
                String.format(Locale.ROOT, "%.3fx", lost),
                lost < MOTION_KEPT));
      }
    }
    if (e28 != null) {
      double ratio = num(w2s, "fd_clip") / num(e28, "fd_clip");
      checks.add(
          new Check(
              "w2s4 fd_clip within 10% of euler28's",
              String.format(Locale.ROOT, "%.3fx", ratio), ratio <= FD_CLIP_OF_EULER28));
    }
    if (w2s.get("speedup_vs_euler28") != null) {
      double s = num(w2s, "speedup_vs_euler28");
      checks.add(
          new Check(
              "w2s4 speed-up at least " + (int) SPEEDUP + "x",
              String.format(Locale.ROOT, "%.1fx", s),
              s >= SPEEDUP));
    }
    return checks;
  }

  /** The JSON form: a list of {@code {target, figures, met}}. */
  static List<Map<String, Object>> toJson(List<Check> checks) {
    return checks.stream().map(Check::toMap).toList();
  }

  /** The markdown section for the JSON's {@code targets}; empty when it has none. */
  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    List<Map<String, Object>> targets = (List<Map<String, Object>>) json.get("targets");
    if (targets == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder("\nTargets (docs/EVALUATION.md#paper-table-targets):\n\n");
    sb.append("| target | figures | met |\n|---|---|---|\n");
    for (Map<String, Object> t : targets) {
      sb.append("| ")
          .append(t.get("target"))
          .append(" | ")
          .append(t.get("figures"))
          .append(" | ")
          .append(Boolean.TRUE.equals(t.get("met")) ? "yes" : "no")
          .append(" |\n");
    }
    return sb.toString();
  }

  private static double num(Map<String, Object> row, String key) {
    return ((Number) row.get(key)).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static double avg(Map<String, Object> row) {
    return num((Map<String, Object>) row.get("vbench"), "avg");
  }

  @SuppressWarnings("unchecked")
  private static double[] interval(Map<String, Object> row) {
    Map<String, Object> ci = (Map<String, Object>) row.get("ci95");
    if (ci == null || ci.get("fd_clip") == null) {
      return null;
    }
    Map<String, Object> fd = (Map<String, Object>) ci.get("fd_clip");
    return new double[] {num(fd, "lo"), num(fd, "hi")};
  }
}
