package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.magicdistill.activities.RunSpecs;
import com.magicdistill.console.pages.Presets;
import org.junit.jupiter.api.Test;

/**
 * The console has no engine, so its launch form starts from preset files (web-console's
 * resources/presets); they must equal what the workers' preset code makes. After changing a preset,
 * regenerate them from {@code RunSpecs.forPreset}.
 */
class ConsolePresetsTest {
  @Test
  void theConsolesPresetFilesEqualTheWorkersPresets() {
    Presets console = new Presets();
    for (String preset : Presets.NAMES) {
      assertEquals(
          RunSpecs.forPreset(preset, "r-preset-check"),
          console.spec(preset, "r-preset-check"),
          "web-console/src/main/resources/presets/" + preset + ".json is stale");
    }
  }
}
