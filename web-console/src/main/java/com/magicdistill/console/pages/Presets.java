package com.magicdistill.console.pages;

import com.magicdistill.workflows.RunSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The presets the launch form starts from. The console has no engine, so each preset's full spec is
 * a resource ({@code presets/<name>.json}) written from the workers' own preset code; the tests
 * module checks the two stay equal.
 */
@Component
public class Presets {
  public static final List<String> NAMES = List.of("smoke", "paper");
  private final Map<String, String> json = new LinkedHashMap<>();

  public Presets() {
    for (String name : NAMES) {
      try (InputStream in = Presets.class.getResourceAsStream("/presets/" + name + ".json")) {
        json.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public List<String> names() {
    return NAMES;
  }

  public boolean exists(String name) {
    return json.containsKey(name);
  }

  /** The preset's spec with {@code runId} and the preset's default name. */
  public RunSpec spec(String name, String runId) {
    String text = json.get(exists(name) ? name : "smoke");
    RunSpec preset = SpecJson.read(text);
    return preset.withRunId(runId, preset.name());
  }
}
