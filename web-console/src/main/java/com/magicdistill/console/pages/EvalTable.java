package com.magicdistill.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation table of one or more runs from their {@code evaluate/report.json}: one row per
 * method (exported W2S-4, DMD2-4, teacher Euler-4/28, whatever the report holds), the best value of
 * each column marked (lower is better except the VBench scores).
 */
public final class EvalTable {
  /** Column key (dotted into the method's map), title, whether higher is better. */
  public record Column(String key, String title, boolean higherBetter) {}

  public static final List<Column> COLUMNS =
      List.of(
          new Column("fd_clip", "FD clip", false),
          new Column("fd_frame", "FD frame", false),
          new Column("motion_ratio", "motion ratio", false),
          new Column("vbench.avg", "VBench avg", true),
          new Column("vbench.i2v_subject", "I2V subject", true),
          new Column("vbench.motion_smoothness", "smoothness", true),
          new Column("vbench.dynamic_degree", "dynamic", true),
          new Column("model_calls", "model calls", false),
          new Column("wall_ms_per_clip", "ms / clip", false));

  /** One row: the run, the method key and its label, the values by column key. */
  public record Row(String runId, String method, String label, Map<String, Double> values) {
    public Double value(String key) {
      return values.get(key);
    }
  }

  /** The table; {@code best} holds the best value of each column. */
  public record Table(List<Column> columns, List<Row> rows, Map<String, Double> best) {
    /** The best value of a column that not every row shares. */
    public boolean isBest(Row row, String key) {
      Double v = row.value(key);
      return v != null
          && v.equals(best.get(key))
          && rows.stream().anyMatch(r -> r.value(key) != null && !r.value(key).equals(v));
    }

    public String format(Row row, String key) {
      Double v = row.value(key);
      if (v == null) {
        return "";
      }
      String text =
          v == Math.rint(v) && Math.abs(v) < 1e9
              ? Long.toString(v.longValue())
              : String.format(java.util.Locale.ROOT, "%.3f", v);
      return isBest(row, key) ? text + " ★" : text;
    }

    public boolean isEmpty() {
      return rows.isEmpty();
    }
  }

  private EvalTable() {}

  public static String label(String method) {
    return switch (method) {
      case "exported_w2s4" -> "W2S-4 (exported)";
      case "w2s4" -> "W2S-4";
      case "dmd_lora4", "dmd4", "dmd2_4" -> "DMD2-4 (DMD-LoRA stage)";
      case "teacher_euler4", "euler4" -> "Teacher Euler-4";
      case "teacher_euler28", "euler28" -> "Teacher Euler-28";
      default -> method;
    };
  }

  /** Rows of each report (run id to parsed report.json; null when the run has none). */
  public static Table of(Map<String, JsonNode> reports) {
    List<Row> rows = new ArrayList<>();
    reports.forEach(
        (runId, report) -> {
          if (report == null || !report.path("methods").isObject()) {
            return;
          }
          report
              .path("methods")
              .fields()
              .forEachRemaining(
                  e -> {
                    Map<String, Double> values = new LinkedHashMap<>();
                    for (Column c : COLUMNS) {
                      JsonNode n = e.getValue();
                      for (String part : c.key().split("\\.")) {
                        n = n.path(part);
                      }
                      if (n.isNumber()) {
                        values.put(c.key(), n.asDouble());
                      }
                    }
                    rows.add(new Row(runId, e.getKey(), label(e.getKey()), values));
                  });
        });
    List<Column> shown = new ArrayList<>();
    Map<String, Double> best = new LinkedHashMap<>();
    for (Column c : COLUMNS) {
      Double b = null;
      for (Row r : rows) {
        Double v = r.value(c.key());
        if (v != null && (b == null || (c.higherBetter() ? v > b : v < b))) {
          b = v;
        }
      }
      if (b != null) {
        shown.add(c);
        if (!c.key().equals("motion_ratio")) {
          best.put(c.key(), b);
        }
      }
    }
    return new Table(shown, rows, best);
  }
}
