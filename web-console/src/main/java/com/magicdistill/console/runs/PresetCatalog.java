package com.magicdistill.console.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.workflows.RunSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The run presets (smoke, paper) with every field explicit, from {@code presets/<name>.json}. The
 * engine's presets are the source; the files are its specs written out (the console has no engine
 * on its classpath), and tests/ConsolePresetsTest fails when they drift.
 */
@Component
public class PresetCatalog {
  public static final Set<String> NAMES = Set.of("smoke", "paper");

  private final Map<String, ObjectNode> presets = new LinkedHashMap<>();

  public PresetCatalog() {
    for (String name : new String[] {"smoke", "paper"}) {
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

  /** The preset's spec as a tree to override, with this run id and name. */
  ObjectNode tree(String name, String runId, String runName) {
    ObjectNode t = presets.get(name).deepCopy();
    t.put("runId", runId);
    t.put("name", runName);
    return t;
  }

  public RunSpec spec(String name, String runId) {
    return SpecJson.MAPPER.convertValue(tree(name, runId, name + " run"), RunSpec.class);
  }

  public Map<String, RunSpec> all() {
    Map<String, RunSpec> out = new LinkedHashMap<>();
    presets.keySet().forEach(n -> out.put(n, spec(n, "preset")));
    return out;
  }
}
