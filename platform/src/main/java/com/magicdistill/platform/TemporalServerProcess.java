package com.magicdistill.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal test server in a JVM of its own on 127.0.0.1:{@code port} (same classpath as this
 * one), for tests that need every service as a separate process. It ends with the JVM that started
 * it ({@link TemporalChildMain}).
 */
public final class TemporalServerProcess implements AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;

  private TemporalServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the server and waits until its port accepts connections; logs to {@code log}. */
  public static TemporalServerProcess start(int port, Path log)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                TemporalChildMain.class.getName(),
                Long.toString(ProcessHandle.current().pid()),
                Integer.toString(port)));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    TemporalServerProcess t = new TemporalServerProcess(pb.start(), port);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!t.accepting()) {
      if (!t.process.isAlive() || System.nanoTime() > deadline) {
        t.close();
        throw new IOException(
            "the Temporal test server did not start on port " + port + " (see " + log + ")");
      }
      Thread.sleep(100);
    }
    return t;
  }

  private boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
