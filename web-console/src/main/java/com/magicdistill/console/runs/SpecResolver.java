package com.magicdistill.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.api.FieldError;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a launch request (preset + overrides, or a full spec; or a rerun of a stored spec) into a
 * validated {@link RunSpec}, or one {@code invalid-run-spec} answer naming every bad field: the
 * same field names and fixes as the CLI ({@code RunSpec.problemsDetailed}).
 */
@Component
public class SpecResolver {
  static final int MAX_OVERRIDES = 100;

  private final PresetCatalog presets;

  public SpecResolver(PresetCatalog presets) {
    this.presets = presets;
  }

  /** The spec of a launch request; throws {@link ApiException} (400) naming every bad field. */
  public RunSpec resolve(RunRequest r) {
    List<FieldError> errors = new ArrayList<>();
    // An empty spec or overrides map counts as absent (generated clients send {} by default).
    boolean hasSpec = r.spec() != null && !r.spec().isEmpty();
    boolean hasPreset = r.preset() != null;
    if (hasSpec == hasPreset) {
      errors.add(
          new FieldError(
              hasSpec ? "spec" : "preset",
              null,
              hasSpec
                  ? "give either preset (with overrides) or spec, not both"
                  : "give preset (smoke or paper) or a complete spec"));
      throw ApiException.invalidSpec(errors);
    }
    String runId = r.runId() != null ? r.runId() : newRunId();
    ObjectNode tree;
    if (hasPreset) {
      if (!presets.has(r.preset())) {
        throw ApiException.invalidSpec(
            List.of(new FieldError("preset", r.preset(), "use smoke or paper")));
      }
      tree = presets.tree(r.preset(), runId, r.name() != null ? r.name() : r.preset() + " run");
    } else {
      if (r.overrides() != null && !r.overrides().isEmpty()) {
        errors.add(new FieldError("overrides", null, "put the values into spec instead"));
      }
      tree = (ObjectNode) SpecJson.tree(r.spec());
      if (r.runId() != null || !tree.hasNonNull("runId")) {
        tree.put("runId", runId);
      }
      if (r.name() != null) {
        tree.put("name", r.name());
      }
    }
    if (r.useCache() != null) {
      tree.put("useCache", r.useCache());
    }
    return finish(tree, r.overrides(), errors);
  }

  /** A new run from a stored spec: a new id and name, reuse before {@code fromStage}, overrides. */
  public RunSpec rerun(String storedSpecJson, String sourceRunId, RerunRequest r) {
    List<FieldError> errors = new ArrayList<>();
    RunSpec base = SpecJson.read(storedSpecJson);
    String runId = r.runId() != null ? r.runId() : newRunId();
    String name = r.name() != null ? r.name() : "rerun of " + sourceRunId;
    RunSpec spec = base.withRunId(runId, name);
    if (r.fromStage() != null) {
      var stage = PipelineStage.bySlug(r.fromStage());
      if (stage.isEmpty()) {
        errors.add(
            new FieldError(
                "fromStage", r.fromStage(), "use fine-tune, dmd-lora, w2s, export or evaluate"));
      } else {
        spec = spec.withReuse(sourceRunId, stage.get());
      }
    }
    ObjectNode tree = (ObjectNode) SpecJson.tree(spec);
    if (r.fromStage() == null) {
      tree.putNull("reuse"); // every stage runs again
    }
    if (r.useCache() != null) {
      tree.put("useCache", r.useCache());
    }
    return finish(tree, r.overrides(), errors);
  }

  private RunSpec finish(ObjectNode tree, Map<String, Object> overrides, List<FieldError> errors) {
    if (overrides != null) {
      if (overrides.size() > MAX_OVERRIDES) {
        errors.add(
            new FieldError(
                "overrides", overrides.size(), "give at most " + MAX_OVERRIDES + " fields"));
      } else {
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
          override(tree, e.getKey(), e.getValue(), errors);
        }
      }
    }
    SpecShape.check(tree, RunSpec.class, "", errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalidSpec(errors);
    }
    RunSpec spec = SpecJson.MAPPER.convertValue(tree, RunSpec.class);
    List<FieldError> problems =
        spec.problemsDetailed().stream()
            .map(p -> new FieldError(p.field(), p.value(), p.message()))
            .toList();
    if (!problems.isEmpty()) {
      throw ApiException.invalidSpec(problems);
    }
    return spec;
  }

  private static void override(
      ObjectNode tree, String path, Object value, List<FieldError> errors) {
    String[] parts = path.split("\\.", -1);
    ObjectNode parent = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = parent.get(parts[i]);
      if (child == null || child.isNull()) {
        if (isObjectField(parent, parts[i])) {
          child = parent.putObject(parts[i]);
        } else {
          errors.add(unknown(path));
          return;
        }
      }
      if (!child.isObject()) {
        errors.add(unknown(path));
        return;
      }
      parent = (ObjectNode) child;
    }
    String leaf = parts[parts.length - 1];
    boolean mapEntry = parts.length == 2 && parts[0].equals("taskQueues");
    if (leaf.isEmpty() || (!parent.has(leaf) && !mapEntry) || path.equals("runId")) {
      errors.add(unknown(path));
      return;
    }
    parent.set(leaf, SpecJson.tree(value));
  }

  /** Fields that are null in a preset but records when given (reuse, retries). */
  private static boolean isObjectField(ObjectNode parent, String name) {
    return parent.has(name) && (name.equals("reuse") || name.equals("retries"));
  }

  private static FieldError unknown(String path) {
    return new FieldError(
        "overrides." + path,
        null,
        "not a run spec field (e.g. distill.alphaWeak, checkpoints.everySteps; runId goes in runId)");
  }

  static String newRunId() {
    return "r-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }
}
