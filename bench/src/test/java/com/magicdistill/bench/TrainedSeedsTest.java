package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trained seed is reused only under the settings it was trained with. */
class TrainedSeedsTest {
  @Test
  void aSeedTrainedUnderOtherSettingsIsRefusedWithTheFieldsThatDiffer(@TempDir Path work)
      throws Exception {
    var a = new TrainedSeeds(work, Map.of("preset", "tiny", "generator_lr", 5e-5f));
    assertNull(a.load(1), "nothing trained yet");
    try (AutoCloseable held = a.lock(1)) {
      a.save(1, Map.of("index", 1, "wall_s", 2.5));
    }
    assertEquals(1, a.load(1).get("index"));
    var b = new TrainedSeeds(work, Map.of("preset", "tiny", "generator_lr", 3e-5f));
    var e = assertThrows(IllegalArgumentException.class, () -> b.load(1));
    assertTrue(
        e.getMessage().startsWith("--work " + work + " holds training seed 1")
            && e.getMessage().contains("(generator_lr)"),
        e.getMessage());
    assertNull(b.load(0), "another seed is not affected");
  }
}
