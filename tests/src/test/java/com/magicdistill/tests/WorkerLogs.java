package com.magicdistill.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the workers of an end-to-end test logged about one run, for a failure message: the harness's
 * folder is a temporary one, deleted after the class, so a timeout that only says "timed out"
 * cannot be diagnosed from CI's output.
 */
final class WorkerLogs {
  private WorkerLogs() {}

  /**
   * The last {@code max} lines mentioning {@code runId} in the {@code *.log} files directly under
   * {@code home}, each prefixed with its file's name; a note when there are none.
   */
  static String linesAbout(Path home, String runId, int max) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(home)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        String name = log.getFileName().toString();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.contains(runId)) {
            lines.add(name + ": " + line);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (lines.isEmpty()) {
      return "(no worker log line mentions " + runId + ")";
    }
    return String.join("\n", lines.subList(Math.max(0, lines.size() - max), lines.size()));
  }
}
