package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.storage.S3ObjectStore;
import com.magicdistill.storage.S3Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed with SIGKILL ({@code kill -9} of {@code ./magic up}) runs no shutdown hook: its
 * S3Proxy child must end with it, and one left running anyway must not keep the next start off its
 * port.
 */
class S3ProxyOrphanTest {
  private static final String ID = "orphan-test";
  private static final String SECRET = "orphan-test-secret";
  private static final byte[] BLOB = "written before the kill".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dataDir;
  private ProcessHandle orphan;

  @AfterEach
  void killOrphan() {
    if (orphan != null) {
      orphan.destroyForcibly();
    }
  }

  @Test
  void serverLeftByAKilledJvmIsStoppedAndItsDataServed() throws Exception {
    int port = S3ProxyServer.freePort();
    orphan = startInChildJvmAndKillIt(port, false);
    assertTrue(orphan.isAlive(), "without the watch on its parent the child outlives the kill");

    try (S3ProxyServer server = S3ProxyServer.start(dataDir, port, ID, SECRET)) {
      assertFalse(orphan.isAlive(), "the orphan is stopped");
      assertTrue(server.isRunning());
      try (S3ObjectStore store = store(port)) {
        assertArrayEquals(BLOB, store.get("before-kill"));
      }
    }
  }

  @Test
  void childEndsWithTheJvmThatStartedIt() throws Exception {
    orphan = startInChildJvmAndKillIt(S3ProxyServer.freePort(), true);
    assertTrue(
        orphan.onExit().thenApply(p -> true).completeOnTimeout(false, 30, TimeUnit.SECONDS).get(),
        "S3Proxy (pid " + orphan.pid() + ") still runs 30 s after its JVM was killed");
  }

  /** Killed before the pid file existed: found by its command line. */
  @Test
  void serverWithoutPidFileIsFoundByItsCommandLine() throws Exception {
    int port = S3ProxyServer.freePort();
    Path jar = S3ProxyServer.locateJar();
    S3ProxyServer.start(dataDir, port, ID, SECRET, jar).stop(); // writes s3proxy.properties
    Process shell =
        new ProcessBuilder(
                "sh",
                "-c",
                "\"$0\" -jar \"$1\" --properties \"$2\" >/dev/null 2>&1 & echo $!",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                jar.toString(),
                dataDir.toAbsolutePath().resolve("s3proxy.properties").toString())
            .start();
    String pid = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, shell.waitFor());
    orphan = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
    assertFalse(Files.exists(dataDir.resolve(S3ProxyOrphans.PID_FILE)));
    waitUntilItAnswers(port);

    try (S3ProxyServer server = S3ProxyServer.start(dataDir, port, ID, SECRET)) {
      assertFalse(orphan.isAlive(), "the orphan is stopped");
      assertTrue(server.isRunning());
    }
  }

  @Test
  void portHeldByAnotherProgramIsNamedWithTheSettingThatAvoidsIt() throws IOException {
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = other.getLocalPort();
      IOException e =
          assertThrows(IOException.class, () -> S3ProxyServer.start(dataDir, port, ID, SECRET));
      assertTrue(e.getMessage().contains("port " + port), e.getMessage());
      assertTrue(e.getMessage().contains("MAGIC_S3_ENDPOINT"), e.getMessage());
      assertFalse(e.getMessage().contains("()"), "names no method: " + e.getMessage());
    }
  }

  @Test
  void dataDirectoryOfALiveServerIsNotTakenOver() throws IOException {
    try (S3ProxyServer first = S3ProxyServer.start(dataDir, S3ProxyServer.freePort(), ID, SECRET)) {
      IOException e =
          assertThrows(
              IOException.class,
              () -> S3ProxyServer.start(dataDir, S3ProxyServer.freePort(), ID, SECRET));
      assertTrue(e.getMessage().contains(dataDir.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("MAGIC_HOME"), e.getMessage());
      assertTrue(first.isRunning(), "the live server is left alone");
    }
  }

  /** Starts S3Proxy from a child JVM, SIGKILLs that JVM; returns the S3Proxy process. */
  private ProcessHandle startInChildJvmAndKillIt(int port, boolean dieWithParent) throws Exception {
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ServerThatGetsKilled.class.getName(),
                dataDir.toString(),
                Integer.toString(port),
                Boolean.toString(dieWithParent))
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("READY")) {}
      assertEquals("READY", line, "child JVM did not start S3Proxy");
    }
    long pid =
        Long.parseLong(
            Files.readString(dataDir.resolve(S3ProxyOrphans.PID_FILE)).trim().split("\\s+")[0]);
    ProcessHandle s3proxy = ProcessHandle.of(pid).orElseThrow();
    assertEquals(jvm.pid(), s3proxy.parent().orElseThrow().pid());
    jvm.destroyForcibly(); // SIGKILL
    assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
    return s3proxy;
  }

  private static S3ObjectStore store(int port) {
    return new S3ObjectStore(new S3Settings("http://127.0.0.1:" + port, ID, SECRET, "orphan"));
  }

  private static void waitUntilItAnswers(int port) throws InterruptedException {
    long deadline = System.nanoTime() + S3ProxyServer.START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("S3Proxy started by the shell never answered on port " + port);
  }

  /** Runs in a child JVM: starts S3Proxy, writes an object, waits to be killed. */
  public static final class ServerThatGetsKilled {
    public static void main(String[] args) throws Exception {
      int port = Integer.parseInt(args[1]);
      S3ProxyServer.start(
          Path.of(args[0]),
          port,
          ID,
          SECRET,
          S3ProxyServer.locateJar(),
          Boolean.parseBoolean(args[2]));
      try (S3ObjectStore store = store(port)) {
        store.ensureBucket();
        store.put("before-kill", BLOB);
      }
      System.out.println("READY");
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}
