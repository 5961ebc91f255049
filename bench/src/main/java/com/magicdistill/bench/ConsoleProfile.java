package com.magicdistill.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JFR recording of the console JVM under load ({@code magic bench api --profile FILE}), started
 * and dumped with {@code jcmd}, so the console starts exactly as it does unprofiled. Read it with
 * {@code jfr print --events jdk.ExecutionSample --stack-depth 64 FILE} or JDK Mission Control.
 */
final class ConsoleProfile {
  private static final String NAME = "magic-bench-api";

  private final long pid;
  private final Path file;

  private ConsoleProfile(long pid, Path file) {
    this.pid = pid;
    this.file = file;
  }

  static ConsoleProfile start(long pid, Path file) throws IOException, InterruptedException {
    jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile", "filename=" + file.toAbsolutePath());
    return new ConsoleProfile(pid, file);
  }

  /** Stops the recording and writes it to the file. */
  void stop() throws IOException, InterruptedException {
    jcmd(pid, "JFR.stop", "name=" + NAME, "filename=" + file.toAbsolutePath());
  }

  private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
  }
}
