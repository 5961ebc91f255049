package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/** Runs the CLI with bad options and checks it refuses them (exit 2) with the given message. */
final class Refusals {
  private Refusals() {}

  /** {@code magic <command...> <options...>} exits 2 and prints {@code message} on stderr. */
  static void assertRefused(String message, String[] command, String... options) {
    String[] args = Stream.concat(Stream.of(command), Stream.of(options)).toArray(String[]::new);
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
