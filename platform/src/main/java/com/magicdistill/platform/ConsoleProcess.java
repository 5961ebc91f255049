package com.magicdistill.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The web console as a child JVM (the CLI and the benchmarks stay free of Spring): its runnable jar
 * is built next to the CLI's by {@code ./magic}; it reads the same {@code MAGIC_*} settings as this
 * process.
 */
public final class ConsoleProcess implements AutoCloseable {
  public static final String JAR_PROPERTY = "magic.console.jar";
  public static final String DEFAULT_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  private final Process process;
  private final String url;

  private ConsoleProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts the console against {@code config}'s services on {@code port}. */
  public static ConsoleProcess start(PlatformConfig config, int port, boolean inheritOutput)
      throws IOException {
    return start(config, port, inheritOutput, java.util.Map.of());
  }

  /** As above, with extra {@code MAGIC_CONSOLE_*} settings (the API benchmark's rate limits). */
  public static ConsoleProcess start(
      PlatformConfig config, int port, boolean inheritOutput, java.util.Map<String, String> extra)
      throws IOException {
    Path jar = jar();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(System.getenv().getOrDefault("MAGIC_CONSOLE_JAVA_OPTS", "-Xmx768m"));
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(config.toEnv());
    pb.environment().put("MAGIC_HOME", config.home().toString());
    pb.environment().put("MAGIC_CONSOLE_PORT", Integer.toString(port));
    pb.environment().putAll(extra);
    String address = System.getenv().getOrDefault("MAGIC_CONSOLE_ADDRESS", DEFAULT_ADDRESS);
    if (inheritOutput) {
      pb.inheritIO();
    } else {
      Path log = config.home().resolve("logs").resolve("console.log");
      Files.createDirectories(log.getParent());
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    Process p = pb.start();
    String host = "0.0.0.0".equals(address) ? "127.0.0.1" : address;
    return new ConsoleProcess(p, "http://" + host + ":" + port);
  }

  public static Path jar() throws IOException {
    String configured = System.getProperty(JAR_PROPERTY);
    Path jar =
        configured != null
            ? Path.of(configured)
            : Path.of("web-console", "target", "web-console-0.1.0-SNAPSHOT-exec.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          "the console is not built ("
              + jar
              + " is missing): run ./magic from the project root, it builds the console");
    }
    return jar;
  }

  /**
   * Waits until the console answers its health check.
   *
   * @return false if it exited or did not answer within {@code timeout}
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    return false;
  }

  public long pid() {
    return process.pid();
  }

  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** Where it serves, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    return url;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** How to log in, for people: the admin's password source. */
  public static String loginHint(PlatformConfig config) {
    Path file = config.home().resolve("console-admin.txt");
    if (System.getenv("MAGIC_ADMIN_PASSWORD") != null) {
      return "log in as admin with the password in MAGIC_ADMIN_PASSWORD";
    }
    if (System.console() != null && Files.isReadable(file)) {
      try {
        // Shown on a terminal only: piped output may end up in a log.
        return "log in as admin with the one-time password "
            + Files.readString(file).strip()
            + " (kept in "
            + file
            + ")";
      } catch (IOException e) {
        // fall through to the path
      }
    }
    return "log in as admin with the one-time password in " + file;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
