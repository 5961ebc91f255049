package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.pages.ConsoleLaunches;
import com.magicdistill.console.runs.PresetCatalog;
import com.magicdistill.console.runs.RunRequest;
import com.magicdistill.console.runs.RunService;
import com.magicdistill.db.AuditLogRepository;
import com.magicdistill.db.TeamScope;
import com.magicdistill.workflows.RunSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Console launches go through the API's path (one transaction, quota, audit, workflow start) and
 * each keeps the spec bytes it stored before: the API writes spec properties in declaration order,
 * the console alphabetically, and a run id replay compares those hashes. So the two {@code
 * SpecJson} writers stay two.
 */
class LaunchPathsTest extends ConsoleTest {
  static final ConsoleUser DORA = new ConsoleUser("dora", "x", true, "launch-a", "member");

  @Autowired ConsoleLaunches launches;
  @Autowired RunService runs;
  @Autowired PresetCatalog presets;

  private static JdbcClient jdbc() {
    return JdbcClient.create(ConsoleTestStack.get().dataSource);
  }

  private static String storedSha(String runId) {
    return jdbc()
        .sql("select spec_sha256 from runs where id = ?")
        .param(runId)
        .query(String.class)
        .single();
  }

  @Test
  void eachPathStoresTheSpecHashItStoredBefore() {
    repositories.teams().ensureTeam("launch-a");
    RunSpec console = presets.spec("smoke", "lp-console-1");
    ConsoleLaunches.Launched l = launches.launch(console, DORA);
    String consoleJson = com.magicdistill.console.pages.SpecJson.write(console);
    assertEquals(com.magicdistill.console.pages.SpecJson.sha256(consoleJson), storedSha(l.runId()));
    ConsoleLaunches.Launched again = launches.launch(console, DORA);
    assertEquals(l.runId(), again.runId(), "a double submit launches once");
    assertThat(again.replayed()).isTrue();

    RunService.Created api =
        runs.create(
            new RunService.Launcher("launch-a", "token:x"),
            new RunRequest("smoke", null, "lp-api-1", Map.of(), null, null),
            null);
    RunSpec apiSpec = com.magicdistill.console.runs.SpecJson.read(specJson("lp-api-1"));
    String apiJson = com.magicdistill.console.runs.SpecJson.write(apiSpec);
    assertEquals(com.magicdistill.console.runs.SpecJson.sha256(apiJson), storedSha(api.run().id()));

    assertNotEquals(
        com.magicdistill.console.runs.SpecJson.write(console),
        consoleJson,
        "one writer for both paths would change the stored hash of one of them");
  }

  @Test
  void aConsoleLaunchIsAuditedAndStarted() {
    repositories.teams().ensureTeam("launch-a");
    ConsoleLaunches.Launched l = launches.launch(presets.spec("smoke", "lp-console-2"), DORA);
    assertThat(ConsoleTestStack.get().control.calls).contains("start lp-console-2");
    assertThat(
            new AuditLogRepository(ConsoleTestStack.get().dataSource)
                .recent(TeamScope.team("launch-a"), 50))
        .anySatisfy(
            e -> {
              assertEquals("run.launch", e.action());
              assertEquals(l.runId(), e.runId());
              assertEquals("dora", e.actor());
            });
  }

  @Test
  void theApiKeepsTheTeamQuotaToo() {
    jdbc()
        .sql("insert into teams (id, name, max_active_runs) values ('launch-q', 'q', 0)")
        .update();
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                runs.create(
                    new RunService.Launcher("launch-q", "token:x"),
                    new RunRequest("smoke", null, "lp-quota-1", Map.of(), null, null),
                    null));
    assertEquals(RunService.QUOTA_SLUG, e.slug());
    assertEquals(409, e.status());
  }

  private static String specJson(String runId) {
    return jdbc()
        .sql("select spec::text from runs where id = ?")
        .param(runId)
        .query(String.class)
        .single();
  }
}
