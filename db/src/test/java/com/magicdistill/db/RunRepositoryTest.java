package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.workflows.RunStatus;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** {@link RunRepository} (the runs table) against a real PostgreSQL. */
class RunRepositoryTest extends RepositoryTestBase {

  @Test
  void createdRunRoundTripsAsQueued() throws Exception {
    repos.runs().createRun(run("r-create", null));
    RunRow row = repos.runs().findRun("r-create").orElseThrow();
    assertEquals("r-create", row.id());
    assertEquals("demo r-create", row.name());
    assertSameJson(SPEC, row.specJson());
    assertEquals("sha-r-create", row.specSha256());
    assertEquals("tiny", row.preset());
    assertEquals(RunStatus.QUEUED, row.status());
    assertEquals("wf-r-create", row.workflowId());
    assertEquals("git-1234", row.codeVersion());
    assertNotNull(row.createdAt());
    assertNull(row.startedAt());
    assertNull(row.finishedAt());
    assertNull(row.error());
    assertTrue(repos.runs().findRun("r-missing").isEmpty());
  }

  @Test
  void reusedRunPointsAtItsSource() {
    repos.runs().createRun(run("r-source", null));
    RunRow reuse =
        new RunRow(
            "r-reuse",
            "reuse",
            SPEC,
            "s",
            "tiny",
            null,
            null,
            null,
            "r-source",
            "w2s",
            null,
            null,
            null,
            null);
    repos.runs().createRun(reuse);
    RunRow row = repos.runs().findRun("r-reuse").orElseThrow();
    assertEquals("r-source", row.reusedFromRun());
    assertEquals("w2s", row.reuseFromStage());

    var e =
        assertThrows(
            RepositoryException.class,
            () ->
                repos
                    .runs()
                    .createRun(
                        new RunRow(
                            "r-reuse-bad",
                            "x",
                            SPEC,
                            "s",
                            null,
                            null,
                            null,
                            null,
                            "r-nope",
                            "w2s",
                            null,
                            null,
                            null,
                            null)));
    assertTrue(e.getMessage().contains("r-nope"), e.getMessage());
  }

  @Test
  void duplicateRunIdFailsClearly() {
    repos.runs().createRun(run("r-dup", null));
    var e =
        assertThrows(RepositoryException.class, () -> repos.runs().createRun(run("r-dup", null)));
    assertTrue(e.getMessage().contains("createRun") && e.getMessage().contains("r-dup"));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void listRunsIsNewestFirst() {
    Instant future = Instant.parse("2100-01-01T00:00:00Z");
    repos.runs().createRun(run("r-list-1", future));
    repos.runs().createRun(run("r-list-3", future.plusSeconds(20)));
    repos.runs().createRun(run("r-list-2", future.plusSeconds(10)));
    List<RunRow> newest = repos.runs().listRuns(3);
    assertEquals(
        List.of("r-list-3", "r-list-2", "r-list-1"), newest.stream().map(RunRow::id).toList());
    assertEquals(future.plusSeconds(20), newest.get(0).createdAt());
    assertEquals(1, repos.runs().listRuns(1).size());
  }

  @Test
  void inFlightRunsAreQueuedRunningOrPaused() {
    for (RunStatus status : RunStatus.values()) {
      String id = "r-flight-" + status;
      repos.runs().createRun(run(id, null));
      repos.runs().updateRunStatus(id, status, null);
    }
    Set<String> inFlight =
        repos.runs().inFlightRuns().stream()
            .map(RunRow::id)
            .filter(id -> id.startsWith("r-flight-"))
            .collect(Collectors.toSet());
    assertEquals(Set.of("r-flight-QUEUED", "r-flight-RUNNING", "r-flight-PAUSED"), inFlight);
  }

  @Test
  void statusTransitionsSetTimestamps() {
    repos.runs().createRun(run("r-status", null));
    repos.runs().updateRunStatus("r-status", RunStatus.RUNNING, null);
    RunRow running = repos.runs().findRun("r-status").orElseThrow();
    assertNotNull(running.startedAt());
    assertNull(running.finishedAt());

    repos.runs().updateRunStatus("r-status", RunStatus.PAUSED, null);
    repos.runs().updateRunStatus("r-status", RunStatus.RUNNING, null);
    RunRow again = repos.runs().findRun("r-status").orElseThrow();
    assertEquals(running.startedAt(), again.startedAt(), "started_at is the first RUNNING");

    repos.runs().updateRunStatus("r-status", RunStatus.FAILED, "stage w2s: out of memory");
    RunRow failed = repos.runs().findRun("r-status").orElseThrow();
    assertEquals(RunStatus.FAILED, failed.status());
    assertEquals("stage w2s: out of memory", failed.error());
    assertNotNull(failed.finishedAt());
    assertFalse(failed.finishedAt().isBefore(failed.startedAt()));

    repos.runs().updateRunStatus("r-status", RunStatus.RUNNING, null);
    RunRow resumed = repos.runs().findRun("r-status").orElseThrow();
    assertNull(resumed.finishedAt(), "a resumed run is not finished");
    assertNull(resumed.error());

    repos.runs().updateRunStatus("r-status", RunStatus.SUCCEEDED, null);
    assertNotNull(repos.runs().findRun("r-status").orElseThrow().finishedAt());
  }

  @Test
  void anUnreachableDatabaseFailsNamingTheOperationWithTheDriversError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
    var e =
        assertThrows(
            RepositoryException.class, () -> new RunRepository(nowhere).findRun("r-nowhere"));
    assertTrue(e.getMessage().startsWith("findRun(r-nowhere) failed: "), e.getMessage());
    assertTrue(e.getCause() instanceof SQLException, String.valueOf(e.getCause()));
    assertTrue(e.getMessage().contains(e.getCause().getMessage()), e.getMessage());
  }

  @Test
  void missingStatusOrUnknownRunFailsClearly() {
    // A status outside the CHECK constraint no longer compiles (RunStatus); null is still possible.
    var bad =
        assertThrows(
            IllegalArgumentException.class, () -> repos.runs().updateRunStatus("r-x", null, null));
    assertTrue(bad.getMessage().contains("null") && bad.getMessage().contains("SUCCEEDED"));
    var missing =
        assertThrows(
            RepositoryException.class,
            () -> repos.runs().updateRunStatus("r-unknown", RunStatus.RUNNING, null));
    assertTrue(missing.getMessage().contains("r-unknown"), missing.getMessage());
  }
}
