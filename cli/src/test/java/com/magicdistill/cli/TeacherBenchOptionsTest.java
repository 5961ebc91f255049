package com.magicdistill.cli;

import org.junit.jupiter.api.Test;

/** Bad bench teacher options are refused before any work, naming the option and the fix. */
class TeacherBenchOptionsTest {
  @Test
  void headsMustDivideTheWidth() {
    assertRefused("--heads must divide the tiny model's width 48 (got 7)", "--heads", "7");
    assertRefused(
        "--heads must divide the tiny model's width 48 (got 5)",
        "--only",
        "efficiency",
        "--heads",
        "5");
    assertRefused("--only takes efficiency, not 'speed'", "--only", "speed");
  }

  private static void assertRefused(String message, String... options) {
    Refusals.assertRefused(message, new String[] {"bench", "teacher", "--preset=tiny"}, options);
  }
}
