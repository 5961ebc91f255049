package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.ConfigException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

  /** The error names the field (the engine knows no flags: the caller maps the field to one). */
  private static void assertRejected(Supplier<TrainConfig> make, String field) {
    ConfigException e = assertThrows(ConfigException.class, make::get);
    assertEquals(field, e.field());
    assertTrue(e.getMessage().startsWith(field + " must"), e.getMessage());
    assertFalse(e.getMessage().contains("--"), e.getMessage());
  }

  @Test
  void everyInvalidFieldIsNamedWithItsFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainConfig(-3, 1e-4f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0));
    assertEquals("steps must be > 0 (got -3): use a positive step count", e.getMessage());
    assertRejected(
        () -> new TrainConfig(10, 0f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0), "lr");
    assertRejected(
        () -> new TrainConfig(10, Float.NaN, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0), "lr");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 11, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0),
        "warmupSteps");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, -1f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0),
        "weightDecay");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 1f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0), "beta1");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, -0.1f, 1e-8f, 1f, 0.999f, 0, 0), "beta2");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, 0.999f, 0f, 1f, 0.999f, 0, 0), "eps");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, 0.999f, 1e-8f, -1f, 0.999f, 0, 0),
        "gradClip");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 1f, 0, 0), "emaDecay");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, -5, 0),
        "checkpointEvery");
  }

  @Test
  void jsonRoundTrips() {
    TrainConfig c = TrainConfig.defaults(500).withSeed(7).withCheckpointEvery(100);
    assertEquals(c, TrainConfig.fromJson(c.toJson()));
    assertTrue(c.toJson().contains("\"checkpointEvery\":100"), c.toJson());
  }
}
