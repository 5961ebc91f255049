package com.magicdistill.bench;

import com.magicdistill.activities.RunBookkeepingImpl;
import com.magicdistill.activities.RunSpecs;
import com.magicdistill.db.ApiTokenRepository;
import com.magicdistill.db.ApiTokens;
import com.magicdistill.db.Repositories;
import com.magicdistill.db.TeamRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The API benchmark's data, in a handful of set-based statements: {@code runs} runs of team {@code
 * bench} (one minute apart, all statuses), each with its five stages, one attempt per stage plus a
 * lost one on fine-tune of every tenth run, and {@code SERIES} metric series of {@code
 * METRIC_STEPS} steps. The attempt trigger (run events for live pages) is off while seeding: no
 * console listens yet and 60,000 notifications would only slow the seed.
 */
final class ApiSeed {
  static final String TEAM = "bench";
  static final String TEMPLATE = "bench-template";
  static final int METRIC_STEPS = 100;
  static final List<String> SERIES = List.of("fine-tune|base.loss", "w2s|generator.loss");

  private ApiSeed() {}

  /** Seeds and returns a bearer token of team {@code bench} with runs:read and runs:write. */
  static String seed(DataSource ds, Repositories repositories, int runs, String codeVersion)
      throws SQLException {
    new TeamRepository(ds).ensureTeam(TEAM);
    RunBookkeepingImpl.register(repositories, RunSpecs.forPreset("smoke", TEMPLATE), codeVersion);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("alter table stage_attempts disable trigger attempts_event");
      s.execute(
          "insert into runs (id, name, spec, spec_sha256, preset, status, workflow_id,"
              + " code_version, team_id, created_by, created_at, started_at, finished_at)"
              + " select 'b-' || lpad(g::text, 6, '0'), 'bench run ' || g, t.spec, t.spec_sha256,"
              + " t.preset, (array['SUCCEEDED','FAILED','CANCELLED','RUNNING','PAUSED',"
              + "'QUEUED'])[1 + g % 6], 'b-' || lpad(g::text, 6, '0'), t.code_version, '"
              + TEAM
              + "', 'bench', now() - ("
              + runs
              + " - g) * interval '1 minute',"
              + " now() - ("
              + runs
              + " - g) * interval '1 minute' + interval '5 seconds',"
              + " case when g % 6 in (0, 1, 2) then now() - ("
              + runs
              + " - g) * interval '1 minute' + interval '50 seconds' end"
              + " from runs t, generate_series(1, "
              + runs
              + ") g where t.id = '"
              + TEMPLATE
              + "'");
      s.execute(
          "insert into stages (run_id, stage, ordinal, status, total_steps, started_at,"
              + " finished_at) select r.id, st.stage, st.ord, case when r.status = 'QUEUED' then"
              + " 'PENDING' when r.status in ('SUCCEEDED') then 'SUCCEEDED' when st.ord = 0 then"
              + " 'SUCCEEDED' when st.ord = 1 then 'RUNNING' else 'PENDING' end, "
              + METRIC_STEPS
              + ", r.started_at, r.finished_at from runs r cross join (values ('fine-tune', 0),"
              + " ('dmd-lora', 1), ('w2s', 2), ('export', 3), ('evaluate', 4)) st(stage, ord)"
              + " where r.team_id = '"
              + TEAM
              + "'");
      s.execute(
          "insert into stage_attempts (run_id, stage, attempt, worker, started_at, ended_at,"
              + " outcome, start_step, end_step) select run_id, stage, 1, 'bench-worker',"
              + " coalesce(started_at, now()), finished_at, case status when 'SUCCEEDED' then"
              + " 'SUCCEEDED' when 'RUNNING' then 'RUNNING' else 'CANCELLED' end, 0, "
              + METRIC_STEPS
              + " from stages where status <> 'PENDING' and run_id like 'b-%'");
      s.execute(
          "insert into stage_attempts (run_id, stage, attempt, worker, started_at, ended_at,"
              + " outcome, start_step, end_step) select id, 'fine-tune', 1, 'bench-worker-lost',"
              + " started_at, started_at, 'LOST', 0, 40 from runs where team_id = '"
              + TEAM
              + "' and right(id, 1) = '0' and status <> 'QUEUED'");
      for (String series : SERIES) {
        String[] p = series.split("\\|");
        s.execute(
            "insert into metrics (run_id, stage, step, name, value, recorded_at) select r.id, '"
                + p[0]
                + "', st, '"
                + p[1]
                + "', 1.0 / (1 + st) + (hashtext(r.id) % 100) / 1e4, r.created_at"
                + " from runs r, generate_series(1, "
                + METRIC_STEPS
                + ") st where r.team_id = '"
                + TEAM
                + "' and r.status <> 'QUEUED'");
      }
      s.execute("alter table stage_attempts enable trigger attempts_event");
      s.execute("delete from runs where id = '" + TEMPLATE + "'");
      c.commit();
      // committed, or the planner keeps the empty tables' statistics (autovacuum would catch up
      // only later) and sorts every run of the team for each first page
      c.setAutoCommit(true);
      s.execute("analyze");
    }
    ApiTokens.NewToken token = ApiTokens.generate();
    new ApiTokenRepository(ds)
        .create(token, TEAM, "bench", List.of("runs:read", "runs:write"), "bench", null);
    return token.token();
  }

  /** Id of the i-th seeded run (1-based). */
  static String runId(int i) {
    return String.format("b-%06d", i);
  }
}
