package com.magicdistill.console.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.workflows.RunSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The run presets (smoke, paper) with every field explicit, from {@code presets/<name>.json}: what
 * the API resolves requests against and the launch form starts from. The engine's presets are the
 * source; the files are its specs written out (the console has no engine on its classpath), and
 * tests/ConsolePresetsTest fails when they drift.
 */
@Component
public class PresetCatalog {
  public static final List<String> NAMES = List.of("smoke", "paper");

  private final Map<String, ObjectNode> presets = new LinkedHashMap<>();

  public PresetCatalog() {
    for (String name : NAMES) {
      try (InputStream in = PresetCatalog.class.getResourceAsStream("/presets/" + name + ".json")) {
        presets.put(name, (ObjectNode) SpecJson.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public boolean has(String name) {
    return name != null && presets.containsKey(name);
  }

  public List<String> names() {
    return NAMES;
  }

  /** The preset's spec as a tree to override, with this run id and name. */
  ObjectNode tree(String name, String runId, String runName) {
    ObjectNode t = presets.get(name).deepCopy();
    t.put("runId", runId);
    t.put("name", runName);
    return t;
  }

  /** The preset's spec with this run id and the preset's name; smoke for an unknown preset. */
  public RunSpec spec(String name, String runId) {
    String known = has(name) ? name : "smoke";
    return SpecJson.MAPPER.convertValue(tree(known, runId, known + " run"), RunSpec.class);
  }

  public Map<String, RunSpec> all() {
    Map<String, RunSpec> out = new LinkedHashMap<>();
    presets.keySet().forEach(n -> out.put(n, spec(n, "preset")));
    return out;
  }
}
