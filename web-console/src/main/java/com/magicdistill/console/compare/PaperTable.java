package com.magicdistill.console.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.console.pages.RunFiles;
import com.magicdistill.console.runs.RunViews;
import com.magicdistill.db.TeamScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The evaluation rows of runs, as the paper's table reads: one row per run and method from each
 * run's {@code evaluate/report.json} (numeric fields only), so the best value per column can be
 * marked. A run without a report has no rows.
 */
@Component
public class PaperTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunFiles files;

  public PaperTable(RunFiles files) {
    this.files = files;
  }

  /** One method of one run and its numbers. */
  public record Row(String runId, String method, Map<String, Double> metrics) {}

  public List<Row> rows(TeamScope scope, List<RunViews.RunDetail> runs) {
    List<Row> out = new ArrayList<>();
    for (RunViews.RunDetail r : runs) {
      try {
        var key = files.reportKey(scope, r.id());
        if (key.isEmpty()) {
          continue;
        }
        JsonNode report = JSON.readTree(files.read(key.get()));
        collect(r.id(), report, out);
      } catch (java.io.IOException | RuntimeException e) {
        // an unreadable report shows as no rows
      }
    }
    return out;
  }

  /** Methods are the report's object-valued fields whose values are mostly numbers. */
  static void collect(String runId, JsonNode report, List<Row> out) {
    JsonNode methods = report.has("methods") ? report.get("methods") : report;
    methods
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isObject()) {
                return;
              }
              Map<String, Double> m = new LinkedHashMap<>();
              e.getValue()
                  .fields()
                  .forEachRemaining(
                      f -> {
                        if (f.getValue().isNumber()) {
                          m.put(f.getKey(), f.getValue().asDouble());
                        } else if (f.getValue().isObject()) {
                          f.getValue()
                              .fields()
                              .forEachRemaining(
                                  g -> {
                                    if (g.getValue().isNumber()) {
                                      m.put(f.getKey() + "." + g.getKey(), g.getValue().asDouble());
                                    }
                                  });
                        }
                      });
              if (!m.isEmpty()) {
                out.add(new Row(runId, e.getKey(), m));
              }
            });
  }
}
