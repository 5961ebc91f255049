package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.activities.RunSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The console launches presets from web-console/src/main/resources/presets/*.json (it has no engine
 * on its classpath); they must stay the engine's presets. After a preset change, rewrite the file
 * with the spec this test prints.
 */
class ConsolePresetsTest {
  @Test
  void theConsolePresetsAreTheEnginePresets() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (String preset : new String[] {"smoke", "paper"}) {
      Path file =
          Path.of("..", "web-console", "src", "main", "resources", "presets", preset + ".json");
      String engine =
          json.writerWithDefaultPrettyPrinter()
              .writeValueAsString(RunSpecs.forPreset(preset, "preset"));
      assertEquals(
          json.readTree(engine),
          json.readTree(Files.readString(file)),
          file + " differs from the engine's " + preset + " preset; it should be:\n" + engine);
    }
  }
}
