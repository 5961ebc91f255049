package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
    String[] args = new String[3 + options.length];
    args[0] = "bench";
    args[1] = "paper-table";
    args[2] = "--preset=tiny";
    System.arraycopy(options, 0, args, 3, options.length);
    PrintStream err = System.err;
    var captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = MagicCli.run(args);
    } finally {
      System.setErr(err);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, printed);
    assertTrue(printed.contains(message), printed);
  }
}
