package com.magicdistill.console.pages;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.magicdistill.console.runs.PresetCatalog;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunSpec.Problem;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The launch form, generated from {@link RunSpec}'s record components (one input per leaf field,
 * grouped like the record), and bound back into a spec. Field errors are {@link
 * RunSpec#problemsDetailed()}'s, keyed by the same dotted paths the API and the CLI use, plus the
 * form's own "not a number" errors.
 */
public final class SpecForm {
  /** Leaf records that may be absent as a whole (all inputs blank = null). */
  private static final Set<String> OPTIONAL_GROUPS = Set.of("reuse", "retries");

  /** One input. {@code options} is non-empty for a select. */
  public record Field(
      String path, String label, String kind, String value, List<String> options, String error) {
    /** An HTML id for the field's error slot (no dots: htmx looks ids up as selectors). */
    public String errorId() {
      return "err-" + path.replace('.', '-');
    }

    public String inputId() {
      return "f-" + path.replace('.', '-');
    }
  }

  /** Fields of one part of the spec ({@code ""} = the run itself). */
  public record Group(String name, List<Field> fields) {
    public String title() {
      return name.isEmpty() ? "Run" : name;
    }
  }

  /** What binding a form gave: the spec (null if it could not be built) and every problem. */
  public record Bound(RunSpec spec, List<Problem> problems) {
    public boolean valid() {
      return spec != null && problems.isEmpty();
    }

    public Map<String, String> errorsByField() {
      Map<String, String> m = new LinkedHashMap<>();
      for (Problem p : problems) {
        m.merge(p.field(), p.missing() ? "missing: " + p.fix() : p.fix(), (a, b) -> a + "; " + b);
      }
      return m;
    }
  }

  private SpecForm() {}

  /** The groups of inputs for {@code spec}, with {@code errors} (by field) shown next to them. */
  public static List<Group> groups(RunSpec spec, Map<String, String> errors) {
    Map<String, String> values = values(spec);
    Map<String, List<Field>> groups = new LinkedHashMap<>();
    groups.put("", new ArrayList<>());
    for (RecordComponent c : RunSpec.class.getRecordComponents()) {
      if (c.getType().isRecord()) {
        List<Field> fields = new ArrayList<>();
        for (RecordComponent sub : c.getType().getRecordComponents()) {
          String path = c.getName() + "." + sub.getName();
          fields.add(field(path, sub.getName(), sub.getType(), values.get(path), errors));
        }
        groups.put(c.getName(), fields);
      } else {
        groups
            .get("")
            .add(field(c.getName(), c.getName(), c.getType(), values.get(c.getName()), errors));
      }
    }
    List<Group> out = new ArrayList<>();
    groups.forEach((k, v) -> out.add(new Group(k, v)));
    return out;
  }

  private static Field field(
      String path, String label, Class<?> type, String value, Map<String, String> errors) {
    List<String> options = List.of();
    String kind;
    if (type == boolean.class) {
      kind = "select";
      options = List.of("true", "false");
    } else if (type == Boolean.class) {
      kind = "select";
      options = List.of("", "true", "false");
    } else if (type == int.class || type == long.class || type == Integer.class) {
      kind = "integer";
    } else if (type == float.class || type == double.class) {
      kind = "decimal";
    } else {
      kind = "text";
    }
    switch (path) {
      case "preset" -> {
        kind = "select";
        options = PresetCatalog.NAMES;
      }
      case "data.source" -> {
        kind = "select";
        options = List.of(RunSpec.DataSpec.SYNTHETIC, RunSpec.DataSpec.DATASET);
      }
      case "reuse.fromStage" -> {
        kind = "select";
        List<String> o = new ArrayList<>(List.of(""));
        Arrays.stream(PipelineStage.values()).map(PipelineStage::slug).forEach(o::add);
        options = o;
      }
      default -> {}
    }
    return new Field(path, label, kind, value == null ? "" : value, options, errors.get(path));
  }

  /** The form's text of every field of {@code spec}. */
  public static Map<String, String> values(RunSpec spec) {
    Map<String, String> m = new LinkedHashMap<>(SpecJson.flatten(SpecJson.write(spec)));
    m.keySet().removeIf(k -> k.startsWith("taskQueues."));
    m.put("taskQueues", queuesText(spec.taskQueues()));
    return m;
  }

  static String queuesText(Map<String, String> queues) {
    StringBuilder b = new StringBuilder();
    queues.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                b.append(b.isEmpty() ? "" : ", ")
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue()));
    return b.toString();
  }

  /** Builds a spec from submitted form fields ({@code specJson} non-blank wins: Advanced tab). */
  public static Bound bind(Map<String, String> params) {
    String json = params.get("specJson");
    if (json != null && !json.isBlank() && "json".equals(params.get("mode"))) {
      return bindJson(json);
    }
    List<Problem> problems = new ArrayList<>();
    Map<String, Object> tree = new LinkedHashMap<>();
    for (RecordComponent c : RunSpec.class.getRecordComponents()) {
      if (c.getType().isRecord()) {
        Map<String, Object> sub = new LinkedHashMap<>();
        boolean any = false;
        for (RecordComponent s : c.getType().getRecordComponents()) {
          String path = c.getName() + "." + s.getName();
          String text = params.get(path);
          any |= text != null && !text.isBlank();
          sub.put(s.getName(), convert(path, text, s.getType(), problems));
        }
        tree.put(c.getName(), OPTIONAL_GROUPS.contains(c.getName()) && !any ? null : sub);
      } else if (c.getType() == Map.class) {
        tree.put(c.getName(), parseQueues(params.get(c.getName()), problems));
      } else {
        tree.put(c.getName(), convert(c.getName(), params.get(c.getName()), c.getType(), problems));
      }
    }
    RunSpec spec;
    try {
      spec = SpecJson.MAPPER.convertValue(tree, RunSpec.class);
    } catch (IllegalArgumentException e) {
      problems.add(
          new Problem("spec", null, "the form could not be read: " + e.getMessage(), false));
      return new Bound(null, problems);
    }
    return new Bound(spec, merge(problems, spec.problemsDetailed()));
  }

  static Bound bindJson(String json) {
    try {
      RunSpec spec = SpecJson.MAPPER.readValue(json, RunSpec.class);
      return new Bound(spec, spec.problemsDetailed());
    } catch (UnrecognizedPropertyException e) {
      return new Bound(
          null,
          List.of(
              new Problem(
                  e.getPropertyName(),
                  null,
                  "unknown field: remove it (see the form's fields)",
                  false)));
    } catch (Exception e) {
      return new Bound(
          null, List.of(new Problem("specJson", null, "not a run spec: " + firstLine(e), false)));
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** The form's conversion errors first; the spec's own problem for the same field is dropped. */
  private static List<Problem> merge(List<Problem> form, List<Problem> spec) {
    List<Problem> out = new ArrayList<>(form);
    for (Problem p : spec) {
      if (form.stream().noneMatch(f -> f.field().equals(p.field()))) {
        out.add(p);
      }
    }
    return out;
  }

  private static Object convert(String path, String text, Class<?> type, List<Problem> problems) {
    String t = text == null ? "" : text.strip();
    try {
      if (type == int.class) {
        return t.isEmpty() ? 0 : Integer.parseInt(t);
      }
      if (type == Integer.class) {
        return t.isEmpty() ? null : Integer.valueOf(t); // empty: the spec's default
      }
      if (type == long.class) {
        return t.isEmpty() ? 0L : Long.parseLong(t);
      }
      if (type == float.class || type == double.class) {
        double d = t.isEmpty() ? 0 : Double.parseDouble(t);
        if (!Double.isFinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      }
    } catch (NumberFormatException e) {
      boolean whole = type == int.class || type == long.class || type == Integer.class;
      problems.add(
          new Problem(path, t, whole ? "use a whole number" : "use a number, e.g. 0.25", false));
      return 0;
    }
    if (type == boolean.class || type == Boolean.class) {
      if (t.isEmpty()) {
        return type == boolean.class ? false : null;
      }
      if (!t.equals("true") && !t.equals("false")) {
        problems.add(new Problem(path, t, "use true or false", false));
        return null;
      }
      return Boolean.parseBoolean(t);
    }
    return t.isEmpty() ? null : t;
  }

  private static Map<String, String> parseQueues(String text, List<Problem> problems) {
    Map<String, String> m = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return m;
    }
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        problems.add(
            new Problem("taskQueues", text, "use stage=queue pairs, e.g. w2s=gpu-large", false));
        return Map.of();
      }
      m.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
    }
    return m;
  }
}
