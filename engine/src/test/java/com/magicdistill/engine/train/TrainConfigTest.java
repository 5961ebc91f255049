package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

  private static void assertRejected(Supplier<TrainConfig> make, String field, String flag) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
    assertTrue(e.getMessage().startsWith(field + " must"), e.getMessage());
    assertTrue(e.getMessage().contains(flag), e.getMessage());
  }

  @Test
  void everyInvalidFieldIsNamedWithItsFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainConfig(-3, 1e-4f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0));
    assertEquals("steps must be > 0 (got -3): set --steps to a positive number", e.getMessage());
    assertRejected(
        () -> new TrainConfig(10, 0f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0), "lr", "--lr");
    assertRejected(
        () -> new TrainConfig(10, Float.NaN, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0),
        "lr",
        "--lr");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 11, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0),
        "warmupSteps",
        "--warmup-steps");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, -1f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0),
        "weightDecay",
        "--weight-decay");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 1f, 0.999f, 1e-8f, 1f, 0.999f, 0, 0),
        "beta1",
        "--beta1");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, -0.1f, 1e-8f, 1f, 0.999f, 0, 0),
        "beta2",
        "--beta2");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, 0.999f, 0f, 1f, 0.999f, 0, 0),
        "eps",
        "--eps");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, 0.999f, 1e-8f, -1f, 0.999f, 0, 0),
        "gradClip",
        "--grad-clip");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 1f, 0, 0),
        "emaDecay",
        "--ema-decay");
    assertRejected(
        () -> new TrainConfig(10, 1e-4f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 0.999f, -5, 0),
        "checkpointEvery",
        "--checkpoint-every");
  }

  @Test
  void jsonRoundTrips() {
    TrainConfig c = TrainConfig.defaults(500).withSeed(7).withCheckpointEvery(100);
    assertEquals(c, TrainConfig.fromJson(c.toJson()));
    assertTrue(c.toJson().contains("\"checkpointEvery\":100"), c.toJson());
  }
}
