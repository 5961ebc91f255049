package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.workflows.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** V4 (teams, tokens, idempotency, run events) and the console's repositories on it. */
class ConsoleRepositoriesTest extends RepositoryTestBase {
  private final RunCreation creation = new RunCreation(pool);
  private final RunQueries queries = new RunQueries(pool);
  private final TeamRepository teams = new TeamRepository(pool);

  private String newTeam() {
    String t = "t-" + UUID.randomUUID().toString().substring(0, 8);
    teams.ensureTeam(t);
    return t;
  }

  private static RunCreation.NewRun newRun(String id, String team, String sha) {
    return new RunCreation.NewRun(
        id, "n", SPEC, sha, "tiny", "v1", null, null, team, "tester", List.of("a", "b"));
  }

  @Test
  void concurrentRequestsWithOneKeyCreateOneRun() throws Exception {
    String team = newTeam();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<RunCreation.Result>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(
            () ->
                creation.create(
                    newRun("r-" + team + "-k", team, "sha-1"), new RunCreation.Key("k1", "sha-1")));
      }
      List<RunCreation.Outcome> outcomes = new ArrayList<>();
      for (Future<RunCreation.Result> f : pool.invokeAll(calls)) {
        outcomes.add(f.get().outcome());
      }
      assertEquals(1, outcomes.stream().filter(o -> o == RunCreation.Outcome.CREATED).count());
      assertEquals(9, outcomes.stream().filter(o -> o == RunCreation.Outcome.REPLAYED).count());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(
        RunCreation.Outcome.KEY_MISMATCH,
        creation
            .create(newRun("r-" + team + "-k2", team, "sha-2"), new RunCreation.Key("k1", "sha-2"))
            .outcome());
    assertEquals(2, repos.stages().stages("r-" + team + "-k").size());
  }

  @Test
  void aTakenRunIdRollsTheKeyBack() {
    String a = newTeam();
    String b = newTeam();
    String id = "r-" + a + "-x";
    assertEquals(RunCreation.Outcome.CREATED, creation.create(newRun(id, a, "s1"), null).outcome());
    assertEquals(
        RunCreation.Outcome.REPLAYED, creation.create(newRun(id, a, "s1"), null).outcome());
    assertEquals(
        RunCreation.Outcome.RUN_ID_EXISTS,
        creation.create(newRun(id, b, "s1"), new RunCreation.Key("kb", "s1")).outcome());
    // the key was not kept: a corrected request under it creates the run
    assertEquals(
        RunCreation.Outcome.CREATED,
        creation.create(newRun(id + "y", b, "s1"), new RunCreation.Key("kb", "s1")).outcome());
  }

  @Test
  void queriesSeeOnlyTheirTeamAndStatusChangesBecomeEvents() {
    String a = newTeam();
    String b = newTeam();
    String id = "r-" + a + "-e";
    creation.create(newRun(id, a, "s"), null);
    assertTrue(queries.find(TeamScope.team(a), id).isPresent());
    assertFalse(queries.find(TeamScope.team(b), id).isPresent());
    assertTrue(queries.find(new TeamScope(b, true), id).isPresent());
    assertTrue(
        queries
            .list(
                TeamScope.team(b),
                new RunQueries.RunFilter(Set.of(), null, "r-" + a, null, null),
                null,
                10)
            .items()
            .isEmpty());

    repos.runs().updateRunStatus(id, RunStatus.RUNNING, null);
    repos.runs().updateRunStatus(id, RunStatus.RUNNING, null); // no change, no event
    repos.stages().upsertStage(id, "a", 0, com.magicdistill.workflows.StageStatus.RUNNING);
    List<RunEvents.RunEvent> events = new RunEvents(pool).after(id, 0, 10);
    assertEquals(
        List.of("status", "stage"), events.stream().map(RunEvents.RunEvent::type).toList());
    assertTrue(events.get(0).payloadJson().contains("RUNNING"));
  }

  @Test
  void tokensAreStoredAsHashesAndRevocationSticks() {
    String team = newTeam();
    ApiTokenRepository tokens = new ApiTokenRepository(pool);
    ApiTokens.NewToken t = ApiTokens.generate();
    tokens.create(t, team, "ci", List.of("runs:read"), "tester", null);
    ApiTokenRepository.TokenRow row = tokens.find(t.id()).orElseThrow();
    assertTrue(ApiTokens.matches(t.token(), row.tokenSha256()));
    assertFalse(ApiTokens.matches(t.token() + "x", row.tokenSha256()));
    assertEquals(List.of("runs:read"), row.scopes());
    assertFalse(tokens.revoke(TeamScope.team(newTeam()), t.id()));
    assertTrue(tokens.revoke(TeamScope.team(team), t.id()));
    assertFalse(tokens.find(t.id()).orElseThrow().usable(java.time.Instant.now()));
  }
}
