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
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run metadata in an embedded database survives a stop and start on the same data directory. */
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
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("READY")) {}
      assertEquals("READY", line, "child did not start its database");
    }
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    long orphanPid =
        Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    assertTrue(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false));

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0)) {
      assertFalse(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false));
      assertTrue(new RunRepository(db.dataSource()).findRun("r-killed").isPresent());
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
