package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.db.Database;
import com.magicdistill.db.RunRepository;
import com.magicdistill.db.RunRow;
import com.magicdistill.workflows.RunStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Run metadata in an embedded database survives a stop and start on the same data directory. */
@Timeout(180)
class DatabaseRestartTest {
  @TempDir Path dataDir;

  private static RunRow run(String id) {
    return new RunRow(
        id,
        "restart",
        "{\"steps\": 3}",
        "abc",
        "tiny",
        null,
        null,
        "v1",
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void dataSurvivesRestart() {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0)) {
      Database.migrate(db.dataSource());
      new RunRepository(db.dataSource()).createRun(run("r-restart"));
      var e = assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(dataDir, 0));
      assertTrue(e.getMessage().contains(dataDir.toString()), e.getMessage());
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0)) {
      assertEquals(0, Database.migrate(db.dataSource()), "schema is already current");
      RunRow row = new RunRepository(db.dataSource()).findRun("r-restart").orElseThrow();
      assertEquals(RunStatus.QUEUED, row.status());
      assertEquals("{\"steps\": 3}", row.specJson());
      assertTrue(row.createdAt().isBefore(Instant.now().plusSeconds(1)));
    }
  }

  /** A process killed with SIGKILL leaves its postmaster running; the next start stops it. */
  @Test
  void serverOfAKilledProcessIsStoppedAndItsDataKept() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ServerThatGetsKilled.class.getName(),
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      awaitLine(child, "READY", Duration.ofSeconds(60));
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      long orphanPid = postmasterPid().orElseThrow();
      assertTrue(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false));

      try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0)) {
        assertFalse(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(new RunRepository(db.dataSource()).findRun("r-killed").isPresent());
      }
    } finally {
      child.destroyForcibly();
      // An assertion failed before the restart stopped it: do not leak a postmaster.
      postmasterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private Optional<Long> postmasterPid() throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
  }

  /** Reads the child's output on another thread until {@code expected}, failing at the deadline. */
  private static void awaitLine(Process child, String expected, Duration deadline)
      throws Exception {
    StringBuilder seen = new StringBuilder();
    CompletableFuture<Boolean> found =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.equals(expected)) {
                    return true;
                  }
                  synchronized (seen) {
                    seen.append(line).append('\n');
                  }
                }
                return false;
              } catch (IOException e) {
                return false;
              }
            });
    boolean ok;
    try {
      ok = found.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      ok = false;
    }
    synchronized (seen) {
      assertTrue(ok, "child did not print " + expected + " within " + deadline + ":\n" + seen);
    }
  }

  /** Runs in a child JVM: starts the database, writes a run, waits to be killed. */
  public static final class ServerThatGetsKilled {
    public static void main(String[] args) throws InterruptedException {
      EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), 0);
      Database.migrate(db.dataSource());
      new RunRepository(db.dataSource()).createRun(run("r-killed"));
      System.out.println("READY");
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}
