package com.magicdistill.console.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The spec fields in which runs differ (dotted paths), one value per run: "differences only". */
public final class SpecDiff {
  private SpecDiff() {}

  /** One differing field and its value in each run, in the order the runs were given. */
  public record Difference(String field, List<Object> values) {}

  /** Fields that never identify a run's configuration. */
  private static final List<String> IGNORED = List.of("runId", "name");

  public static List<Difference> of(List<Map<String, Object>> specs) {
    List<Map<String, Object>> flat = specs.stream().map(SpecDiff::flatten).toList();
    TreeMap<String, Boolean> fields = new TreeMap<>();
    flat.forEach(f -> f.keySet().forEach(k -> fields.put(k, true)));
    List<Difference> out = new ArrayList<>();
    for (String field : fields.keySet()) {
      if (IGNORED.contains(field)) {
        continue;
      }
      List<Object> values = flat.stream().map(f -> f.get(field)).toList();
      if (values.stream().anyMatch(v -> !Objects.equals(v, values.get(0)))) {
        out.add(new Difference(field, values));
      }
    }
    return out;
  }

  static Map<String, Object> flatten(Map<String, Object> spec) {
    Map<String, Object> out = new TreeMap<>();
    flatten("", spec, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object value, Map<String, Object> out) {
    if (value instanceof Map<?, ?> m) {
      if (m.isEmpty() && !prefix.isEmpty()) {
        out.put(prefix, Map.of());
      }
      ((Map<String, Object>) m)
          .forEach((k, v) -> flatten(prefix.isEmpty() ? k : prefix + "." + k, v, out));
    } else {
      out.put(prefix, value);
    }
  }
}
