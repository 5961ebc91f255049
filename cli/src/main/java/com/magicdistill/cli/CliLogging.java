package com.magicdistill.cli;

import com.magicdistill.platform.PlatformConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the log lines of a {@code ./magic} command go. Services ({@code up}, {@code worker}) log to
 * the terminal; every other command logs to {@code $MAGIC_HOME/logs/<command>-<time>.log}, so its
 * progress bars and results are not torn by log lines. The file is named before the command runs
 * when the command is a long one, and after it when it failed or logged a warning.
 */
final class CliLogging {
  static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";
  private static final Set<String> ON_TERMINAL = Set.of("up", "worker");
  private static final Set<String> LONG_RUNNING = Set.of("run", "train", "distill", "bench");
  private static final Pattern WARNING = Pattern.compile("\\] (WARN|ERROR) ");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path file;
  private final boolean longRunning;

  private CliLogging(Path file, boolean longRunning) {
    this.file = file;
    this.longRunning = longRunning;
  }

  /**
   * Points slf4j-simple at a log file for the command {@code args} name, unless it is a service or
   * a log file was chosen already ({@code -Dorg.slf4j.simpleLogger.logFile}). Must run before the
   * first logger is created.
   *
   * @return the choice, or null when logs stay on the terminal
   */
  static CliLogging configure(String[] args, Map<String, String> env) {
    String command = args.length == 0 || args[0].startsWith("-") ? null : args[0];
    if (command == null
        || ON_TERMINAL.contains(command)
        || !command.matches("[a-z-]+")
        || System.getProperty(LOG_FILE_PROPERTY) != null) {
      return null;
    }
    Path dir = PlatformConfig.homeOf(env).resolve("logs");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return null; // an unwritable MAGIC_HOME: log to the terminal rather than fail
    }
    Path file = dir.resolve(command + "-" + LocalDateTime.now().format(STAMP) + ".log");
    System.setProperty(LOG_FILE_PROPERTY, file.toString());
    return new CliLogging(file, LONG_RUNNING.contains(command));
  }

  Path file() {
    return file;
  }

  /** Before the command: names the log of a long command. */
  void started(PrintStream err) {
    if (longRunning) {
      err.println("magic: logs in " + file);
    }
  }

  /** After the command: drops an empty log; names it if the command failed or logged a warning. */
  void finished(int exitCode, PrintStream err) {
    try {
      if (!Files.exists(file)) {
        return;
      }
      if (Files.size(file) == 0) {
        Files.delete(file);
        return;
      }
      long warnings;
      try (var lines = Files.lines(file)) {
        warnings = lines.filter(l -> WARNING.matcher(l).find()).count();
      }
      if (exitCode != 0 || warnings > 0) {
        err.println(
            "magic: "
                + (warnings > 0 ? warnings + " warning(s) or error(s) logged; " : "")
                + "details in "
                + file);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      err.println("magic: logs in " + file);
    }
  }
}
