package com.magicdistill.console.pages;

import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.StageStatus;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Launches from the console as the logged-in user's team: the run and its five stages are recorded
 * QUEUED/PENDING in one transaction, then the workflow is started (a failed start leaves a QUEUED
 * run the reconciler submits). The run id is the natural key: posting the same form twice (same id,
 * same spec, same team) answers the first run, so a double submit launches once.
 */
@Component
public class ConsoleLaunches {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleLaunches.class);

  /** What a launch gave: the run, whether it existed already, and a note when Temporal failed. */
  public record Launched(String runId, boolean replayed, String warning) {}

  /** A run with this id exists with another spec or team. */
  public static final class RunIdTaken extends RuntimeException {
    public RunIdTaken(String runId) {
      super("a run with this id exists; pick a new id (got " + runId + ")");
    }
  }

  /** The team is at its quota of queued, running and paused runs. */
  public static final class QuotaExceeded extends RuntimeException {
    public QuotaExceeded(String teamId, int max) {
      super(
          "team "
              + teamId
              + " has "
              + max
              + " runs queued, running or paused, its quota: wait for one to end or cancel one");
    }
  }

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ConsoleBackends backends;

  public ConsoleLaunches(ConsoleBackends backends) {
    this.backends = backends;
    this.jdbc = JdbcClient.create(backends.dataSource());
    this.tx = new TransactionTemplate(new DataSourceTransactionManager(backends.dataSource()));
  }

  public static String newRunId() {
    return "r-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  /** Records and starts {@code spec} (already valid) for {@code user}'s team. */
  public Launched launch(RunSpec spec, ConsoleUser user) {
    String json = SpecJson.write(spec);
    String sha = SpecJson.sha256(json);
    Optional<String[]> existing =
        jdbc.sql("select team_id, spec_sha256 from runs where id = ?")
            .param(spec.runId())
            .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)})
            .optional();
    if (existing.isPresent()) {
      if (existing.get()[0].equals(user.teamId()) && existing.get()[1].equals(sha)) {
        return new Launched(spec.runId(), true, null);
      }
      throw new RunIdTaken(spec.runId());
    }
    Integer quota =
        jdbc.sql("select max_active_runs from teams where id = ?")
            .param(user.teamId())
            .query((rs, i) -> (Integer) rs.getObject(1))
            .optional()
            .orElse(null);
    if (quota != null) {
      long active =
          jdbc.sql(
                  "select count(*) from runs where team_id = ? and status in ('QUEUED', 'RUNNING',"
                      + " 'PAUSED')")
              .param(user.teamId())
              .query(Long.class)
              .single();
      if (active >= quota) {
        throw new QuotaExceeded(user.teamId(), quota);
      }
    }
    tx.executeWithoutResult(
        s -> {
          jdbc.sql(
                  "insert into runs (id, name, spec, spec_sha256, preset, status, workflow_id,"
                      + " code_version, reused_from_run, reuse_from_stage, team_id, created_by)"
                      + " values (?, ?, ?::jsonb, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?)"
                      + " on conflict (id) do nothing")
              .params(
                  spec.runId(),
                  spec.name(),
                  json,
                  sha,
                  spec.preset(),
                  spec.runId(),
                  null,
                  spec.reuse() == null ? null : spec.reuse().runId(),
                  spec.reuse() == null ? null : spec.reuse().fromStage(),
                  user.teamId(),
                  user.getUsername())
              .update();
          for (PipelineStage st : PipelineStage.values()) {
            jdbc.sql(
                    "insert into stages (run_id, stage, ordinal, status) values (?, ?, ?, ?)"
                        + " on conflict do nothing")
                .params(spec.runId(), st.slug(), st.ordinal(), StageStatus.PENDING.name())
                .update();
          }
        });
    try {
      backends.control().start(spec);
      return new Launched(spec.runId(), false, null);
    } catch (RuntimeException e) {
      LOG.warn("{}: recorded, but starting its workflow failed: {}", spec.runId(), e.toString());
      return new Launched(
          spec.runId(),
          false,
          "recorded as QUEUED, but Temporal did not accept it yet; it starts when Temporal is back");
    }
  }
}
