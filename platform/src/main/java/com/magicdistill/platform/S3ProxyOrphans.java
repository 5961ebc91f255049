package com.magicdistill.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and stops an S3Proxy left serving a data directory by a process that was killed: SIGKILL
 * runs no shutdown hook, so the child outlives its parent and keeps the port.
 *
 * <p>{@value #PID_FILE} in the data directory records the running child and the process that
 * started it ({@code <child pid> <owner pid>}). An S3Proxy on the directory is the one that file
 * names, or, with {@code scan}, any process whose command line reads {@code --properties
 * <dataDir>/s3proxy.properties} (one started before the file existed). It is owned while its parent
 * is alive and is the recorded owner or a JVM; a killed owner's child has been handed to init or a
 * subreaper.
 */
final class S3ProxyOrphans {
  private static final Logger LOG = LoggerFactory.getLogger(S3ProxyOrphans.class);

  static final String PID_FILE = "s3proxy.pid";

  private static final long STOP_SECONDS = 10;

  private S3ProxyOrphans() {}

  static void record(Path dataDir, ProcessHandle child) throws IOException {
    Files.writeString(
        dataDir.resolve(PID_FILE),
        child.pid() + " " + ProcessHandle.current().pid() + "\n",
        StandardCharsets.UTF_8);
  }

  static void forget(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
    } catch (IOException e) {
      LOG.debug("could not delete {}", dataDir.resolve(PID_FILE), e);
    }
  }

  /**
   * Stops every S3Proxy on {@code dataDir} whose owner is gone (SIGTERM, then SIGKILL after 10 s).
   *
   * @throws IOException if a live process owns one, or one does not stop
   */
  static void stopLeftovers(Path dataDir, Path properties, boolean scan) throws IOException {
    long[] recorded = readPidFile(dataDir);
    Stream<ProcessHandle> fromFile =
        recorded == null ? Stream.empty() : ProcessHandle.of(recorded[0]).stream();
    Stream<ProcessHandle> scanned = scan ? ProcessHandle.allProcesses() : Stream.empty();
    List<ProcessHandle> servers =
        Stream.concat(fromFile, scanned)
            .filter(p -> p.pid() != ProcessHandle.current().pid())
            .filter(p -> serves(p, properties))
            .distinct()
            .toList();
    for (ProcessHandle server : servers) {
      long owner = recorded != null && recorded[0] == server.pid() ? recorded[1] : -1;
      Optional<ProcessHandle> parent = server.parent().filter(ProcessHandle::isAlive);
      if (parent.isPresent() && (parent.get().pid() == owner || isJvm(parent.get()))) {
        throw new IOException(
            "S3 data directory "
                + dataDir
                + " is in use by S3Proxy (pid "
                + server.pid()
                + ") of the running process "
                + parent.get().pid()
                + ": is another ./magic up running with this MAGIC_HOME?");
      }
      stop(server, dataDir);
    }
  }

  /** Whether {@code p} runs S3Proxy with {@code properties} (so on its data directory). */
  static boolean serves(ProcessHandle p, Path properties) {
    if (!p.isAlive()) {
      return false;
    }
    String[] args = p.info().arguments().orElse(new String[0]);
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--properties")
          && Path.of(args[i + 1]).normalize().equals(properties.normalize())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isJvm(ProcessHandle p) {
    return p.info()
        .command()
        .map(c -> Path.of(c).getFileName().toString().matches("java(\\.exe)?"))
        .orElse(false);
  }

  private static void stop(ProcessHandle server, Path dataDir) throws IOException {
    LOG.warn(
        "Stopping S3Proxy (pid {}) left running on {} by a process that ended without closing it",
        server.pid(),
        dataDir);
    try {
      server.destroy();
      try {
        server.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        server.destroyForcibly();
        server.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
      }
    } catch (TimeoutException | ExecutionException e) {
      throw new IOException(
          "S3Proxy (pid "
              + server.pid()
              + ") left running on "
              + dataDir
              + " did not stop within "
              + 2 * STOP_SECONDS
              + " s; stop it and start again",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping S3Proxy (pid " + server.pid() + ")", e);
    }
  }

  /** {@code {child, owner}} from the pid file, or null when there is none or it is unreadable. */
  private static long[] readPidFile(Path dataDir) {
    try {
      String[] f =
          Files.readString(dataDir.resolve(PID_FILE), StandardCharsets.UTF_8).split("\\s+");
      return new long[] {Long.parseLong(f[0]), f.length > 1 ? Long.parseLong(f[1]) : -1};
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | NumberFormatException e) {
      LOG.debug("ignoring unreadable {}", dataDir.resolve(PID_FILE), e);
      return null;
    }
  }
}
