package com.magicdistill.db;

import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.StageStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Records a new run for a team in one transaction: the {@code Idempotency-Key} row (if any), the
 * run (QUEUED, with its team and creator) and its stages (PENDING). Starting the workflow comes
 * after the commit; a start that fails leaves a QUEUED run the reconciler re-submits.
 *
 * <p>A team with {@code max_active_runs} gets no new run while it has that many queued, running or
 * paused (a replay is still a replay).
 *
 * <p>Replays: the same key with the same request hash gives the first run back; another request
 * under that key is a mismatch. Without a key the run id is the natural key: the same team with the
 * same spec hash is a replay, anything else a conflict.
 */
public final class RunCreation {
  /** Keys are kept this long. */
  public static final Duration KEY_TTL = Duration.ofHours(24);

  /** What to insert. {@code stages} are slugs in pipeline order. */
  public record NewRun(
      String id,
      String name,
      String specJson,
      String specSha256,
      String preset,
      String codeVersion,
      String reusedFromRun,
      String reuseFromStage,
      String teamId,
      String createdBy,
      List<String> stages) {}

  /** An {@code Idempotency-Key} and the hash of the request body it came with. */
  public record Key(String key, String requestSha256) {}

  /** How a creation ended. */
  public enum Outcome {
    CREATED,
    /** the same request again: {@link Result#runId} is the first one's run */
    REPLAYED,
    /** the key came with another request */
    KEY_MISMATCH,
    /** the first request with this key has not finished */
    KEY_IN_FLIGHT,
    /** the run id is taken by another spec or team */
    RUN_ID_EXISTS,
    /** the run to reuse outputs from is not the team's */
    REUSED_RUN_UNKNOWN,
    /** the team has its {@code max_active_runs} queued, running or paused */
    QUOTA_REACHED
  }

  public record Result(Outcome outcome, String runId) {}

  private final Sql sql;

  public RunCreation(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  public Result create(NewRun run, Key key) {
    try {
      return insert(run, key);
    } catch (Abort a) {
      return a.result;
    }
  }

  /** Ends the transaction with a rollback (nothing of the request stays) and this result. */
  private static final class Abort extends RuntimeException {
    final transient Result result;

    Abort(Result result) {
      super(null, null, false, false);
      this.result = result;
    }
  }

  private Result insert(NewRun run, Key key) {
    String op = "createRun(" + run.id() + ")";
    return sql.inTransaction(
        op,
        () -> {
          if (key != null) {
            Optional<Result> earlier = claim(run.teamId(), key);
            if (earlier.isPresent()) {
              return earlier.get();
            }
          }
          Optional<Existing> existing =
              sql.first(
                  op,
                  "select team_id, spec_sha256 from runs where id = ? for update",
                  Existing.class,
                  run.id());
          if (existing.isPresent()) {
            boolean same =
                existing.get().teamId().equals(run.teamId())
                    && existing.get().specSha256().equals(run.specSha256());
            if (!same) {
              throw new Abort(new Result(Outcome.RUN_ID_EXISTS, run.id()));
            }
            if (key != null) {
              bind(run.teamId(), key, run.id());
            }
            return new Result(Outcome.REPLAYED, run.id());
          }
          if (run.reusedFromRun() != null
              && sql.single(
                          op,
                          "select count(*) from runs where id = ? and team_id = ?",
                          Long.class,
                          run.reusedFromRun(),
                          run.teamId())
                      .orElse(0L)
                  == 0) {
            throw new Abort(new Result(Outcome.REUSED_RUN_UNKNOWN, run.id()));
          }
          if (atQuota(op, run.teamId())) {
            throw new Abort(new Result(Outcome.QUOTA_REACHED, run.id()));
          }
          sql.update(
              op,
              "insert into runs (id, name, spec, spec_sha256, preset, status, workflow_id,"
                  + " code_version, reused_from_run, reuse_from_stage, team_id, created_by)"
                  + " values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              run.id(),
              run.name(),
              run.specJson(),
              run.specSha256(),
              run.preset(),
              RunStatus.QUEUED,
              run.id(),
              run.codeVersion(),
              run.reusedFromRun(),
              run.reuseFromStage(),
              run.teamId(),
              run.createdBy());
          for (int i = 0; i < run.stages().size(); i++) {
            sql.update(
                op,
                "insert into stages (run_id, stage, ordinal, status) values (?, ?, ?, ?)",
                run.id(),
                run.stages().get(i),
                i,
                StageStatus.PENDING);
          }
          if (key != null) {
            bind(run.teamId(), key, run.id());
          }
          return new Result(Outcome.CREATED, run.id());
        });
  }

  private record Existing(String teamId, String specSha256) {}

  private record Quota(Integer maxActiveRuns) {}

  /**
   * Whether the team already has {@code max_active_runs} queued, running or paused runs. The team
   * row is locked, so two launches of one team are counted one after the other.
   */
  private boolean atQuota(String op, String teamId) {
    Integer max =
        sql.first(
                op,
                "select max_active_runs from teams where id = ? for update",
                Quota.class,
                teamId)
            .map(Quota::maxActiveRuns)
            .orElse(null);
    if (max == null) {
      return false;
    }
    long active =
        sql.single(
                op,
                "select count(*) from runs where team_id = ? and status in ('QUEUED', 'RUNNING',"
                    + " 'PAUSED')",
                Long.class,
                teamId)
            .orElse(0L);
    return active >= max;
  }

  private record KeyRow(String requestSha256, String runId, boolean expired) {}

  /** Inserts the key, or reports what an earlier request under it did. */
  private Optional<Result> claim(String teamId, Key key) {
    String op = "claimIdempotencyKey";
    int inserted =
        sql.update(
            op,
            "insert into idempotency_keys (team_id, key, request_sha256, expires_at)"
                + " values (?, ?, ?, now() + make_interval(secs => ?))"
                + " on conflict (team_id, key) do nothing",
            teamId,
            key.key(),
            key.requestSha256(),
            (double) KEY_TTL.toSeconds());
    if (inserted == 1) {
      return Optional.empty();
    }
    KeyRow row =
        sql.first(
                op,
                "select request_sha256, run_id, expires_at < now() as expired from idempotency_keys"
                    + " where team_id = ? and key = ? for update",
                KeyRow.class,
                teamId,
                key.key())
            .orElseThrow();
    if (row.expired()) {
      sql.update(
          op,
          "update idempotency_keys set request_sha256 = ?, run_id = null, created_at = now(),"
              + " expires_at = now() + make_interval(secs => ?) where team_id = ? and key = ?",
          key.requestSha256(),
          (double) KEY_TTL.toSeconds(),
          teamId,
          key.key());
      return Optional.empty();
    }
    if (!row.requestSha256().equals(key.requestSha256())) {
      return Optional.of(new Result(Outcome.KEY_MISMATCH, row.runId()));
    }
    if (row.runId() == null) {
      return Optional.of(new Result(Outcome.KEY_IN_FLIGHT, null));
    }
    return Optional.of(new Result(Outcome.REPLAYED, row.runId()));
  }

  private void bind(String teamId, Key key, String runId) {
    sql.update(
        "bindIdempotencyKey",
        "update idempotency_keys set run_id = ? where team_id = ? and key = ?",
        runId,
        teamId,
        key.key());
  }
}
