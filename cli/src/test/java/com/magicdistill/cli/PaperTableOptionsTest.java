package com.magicdistill.cli;

import org.junit.jupiter.api.Test;

/** Bad paper-table options are refused before any work, naming the option and the fix. */
class PaperTableOptionsTest {
  @Test
  void stageLengthsMustBePositiveAndATrainSeedNeedsAWorkFolder() {
    assertRefused("--w2s-iterations must be at least 1, not 0", "--w2s-iterations", "0");
    assertRefused("--dmd-iterations must be at least 1, not -5", "--dmd-iterations", "-5");
    assertRefused("--train-seed: give --work too", "--train-seed", "1");
    assertRefused("--probe-every must be at least 1, not 0", "--probe-every", "0");
  }

  @Test
  void curvesAreProbedFromCheckpointsSoTheirIntervalMustBeOnTheCheckpointGrid() {
    // tiny's stages checkpoint every 2 updates
    assertRefused(
        "--probe-every must be a multiple of 2, the stages' checkpoint interval",
        "--probe-every",
        "3");
  }

  private static void assertRefused(String message, String... options) {
    Refusals.assertRefused(
        message, new String[] {"bench", "paper-table", "--preset=tiny"}, options);
  }
}
