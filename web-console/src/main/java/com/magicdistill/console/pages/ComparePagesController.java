package com.magicdistill.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.MetricSeries;
import com.magicdistill.db.RunQueries;
import com.magicdistill.db.RunQueries.RunDetailRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * Compare 2-8 runs: the spec fields that differ (all on request), the evaluation table with the
 * best value of each column marked, loss curves overlaid, and sample clips side by side on one play
 * clock. Runs of another team are not found.
 */
@Controller
public class ComparePagesController {
  static final int MIN = 2;
  static final int MAX = 8;

  private final ConsoleRepositories repositories;
  private final PageQueries queries;
  private final RunFiles files;

  public ComparePagesController(
      ConsoleRepositories repositories, PageQueries queries, RunFiles files) {
    this.repositories = repositories;
    this.queries = queries;
    this.files = files;
  }

  /** One differing (or, with all, any) spec field: its value per run. */
  public record DiffRow(String field, List<String> values, boolean differs) {}

  static List<String> ids(List<String> runs) {
    Set<String> ids = new LinkedHashSet<>();
    for (String r : runs == null ? List.<String>of() : runs) {
      for (String one : r.split(",")) {
        if (!one.isBlank()) {
          ids.add(one.strip());
        }
      }
    }
    return new ArrayList<>(ids);
  }

  @GetMapping("/compare")
  String compare(
      @AuthenticationPrincipal ConsoleUser user,
      @RequestParam(required = false) List<String> runs,
      @RequestParam(defaultValue = "false") boolean all,
      Model model) {
    List<String> ids = ids(runs);
    if (ids.size() < MIN || ids.size() > MAX) {
      model.addAttribute(
          "problem", ids.isEmpty() ? null : "Pick 2 to 8 runs (got " + ids.size() + ").");
      model.addAttribute(
          "recent",
          repositories.runs().list(user.scope(), RunQueries.RunFilter.ANY, null, 50).items());
      model.addAttribute("selected", ids);
      return "compare-pick";
    }
    List<RunDetailRow> rows = new ArrayList<>();
    for (String id : ids) {
      rows.add(
          repositories
              .runs()
              .find(user.scope(), id)
              .orElseThrow(
                  () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such run: " + id)));
    }
    List<Map<String, String>> flat =
        rows.stream().map(r -> SpecJson.flatten(r.specJson())).toList();
    Set<String> fields = new TreeSet<>();
    flat.forEach(f -> fields.addAll(f.keySet()));
    fields.removeIf(f -> f.equals("runId"));
    List<DiffRow> diff = new ArrayList<>();
    for (String f : fields) {
      List<String> values = flat.stream().map(m -> m.getOrDefault(f, "—")).toList();
      boolean differs = new LinkedHashSet<>(values).size() > 1;
      if (differs || all) {
        diff.add(new DiffRow(f, values, differs));
      }
    }
    Map<String, JsonNode> reports = new LinkedHashMap<>();
    for (RunDetailRow r : rows) {
      reports.put(r.id(), files.report(r.id()).orElse(null));
    }
    Map<String, MetricSeries.SeriesInfo> common = new TreeMap<>();
    for (RunDetailRow r : rows) {
      for (MetricSeries.SeriesInfo s : queries.metrics().catalogueAsRecorded(r.id())) {
        if ((s.name().endsWith("loss") || s.name().contains("grad_norm")) && s.points() > 1) {
          common.putIfAbsent(s.stage() + "|" + s.name(), s);
        }
      }
    }
    Map<String, RunFiles.Samples> samples = new LinkedHashMap<>();
    for (RunDetailRow r : rows) {
      samples.put(r.id(), files.samples(r.id()));
    }
    model.addAttribute("runs", rows);
    model.addAttribute("ids", String.join(",", ids));
    model.addAttribute("diff", diff);
    model.addAttribute("all", all);
    model.addAttribute("table", EvalTable.of(reports));
    model.addAttribute("series", new ArrayList<>(common.values()));
    model.addAttribute("samples", samples);
    return "compare";
  }

  /** One series of every run on a shared step axis (gaps are null), for an overlaid uPlot. */
  @GetMapping("/compare/series")
  @ResponseBody
  Map<String, Object> series(
      @AuthenticationPrincipal ConsoleUser user,
      @RequestParam List<String> runs,
      @RequestParam String stage,
      @RequestParam String name,
      @RequestParam(defaultValue = "400") int maxPoints) {
    List<String> ids = ids(runs);
    if (ids.size() < 1 || ids.size() > MAX) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "pick 1 to 8 runs");
    }
    Map<String, Map<Long, Double>> byRun = new LinkedHashMap<>();
    TreeSet<Long> steps = new TreeSet<>();
    for (String id : ids) {
      repositories
          .runs()
          .find(user.scope(), id)
          .orElseThrow(
              () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such run: " + id));
      Map<Long, Double> m = new LinkedHashMap<>();
      for (MetricSeries.Bucket b :
          queries.metrics().points(id, stage, name, Math.max(10, Math.min(maxPoints, 2000)))) {
        m.put(b.step(), b.mean());
        steps.add(b.step());
      }
      byRun.put(id, m);
    }
    List<Map<String, Object>> series = new ArrayList<>();
    byRun.forEach(
        (id, m) -> {
          List<Double> y = new ArrayList<>();
          for (Long s : steps) {
            y.add(m.get(s));
          }
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("label", id);
          one.put("y", y);
          series.add(one);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("title", stage + " · " + name);
    out.put("x", new ArrayList<>(steps));
    out.put("series", series);
    return out;
  }
}
