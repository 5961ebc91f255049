package com.magicdistill.bench;

import com.magicdistill.platform.Connections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The console a benchmark drives: its base URL and the process whose memory is reported (a child
 * JVM for {@code magic bench api}; the test JVM itself when a test starts it in-process).
 */
public interface ConsoleUnderTest extends AutoCloseable {
  String url();

  long pid();

  /** Whether the console runs in this JVM (its RSS then includes the load generator's). */
  boolean inProcess();

  @Override
  void close() throws Exception;

  /** Starts a console on {@code c}'s services with these extra settings ({@code MAGIC_*}). */
  @FunctionalInterface
  interface Starter {
    ConsoleUnderTest start(Connections c, Map<String, String> settings) throws Exception;
  }

  /** Resident memory of {@code pid} (Linux {@code VmRSS}) in MB, -1 where unavailable. */
  static double rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
