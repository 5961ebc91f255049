package com.magicdistill.db;

import com.magicdistill.workflows.RunStatus;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code runs} table: one row per run, its spec, status and times. Timestamps come from the
 * database clock ({@code now()}); {@code spec} is stored as {@code jsonb}, so what comes back is
 * the same JSON value with normalised whitespace and key order. Failures are {@link
 * RepositoryException}s naming the operation and the run.
 */
public final class RunRepository {
  private static final String COLUMNS =
      "id, name, spec::text as spec_json, spec_sha256, preset, status, workflow_id, code_version,"
          + " reused_from_run, reuse_from_stage, created_at, started_at, finished_at, error";
  private static final Object[] IN_FLIGHT =
      Arrays.stream(RunStatus.values()).filter(RunStatus::isInFlight).toArray();

  private final Sql sql;

  public RunRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /**
   * Inserts {@code run} with status QUEUED. {@code createdAt} defaults to now; its status,
   * started/finished times and error are ignored (a new run has none).
   *
   * @throws RepositoryException if a run with this id exists
   */
  public void createRun(RunRow run) {
    String op = "createRun(" + run.id() + ")";
    try {
      sql.update(
          op,
          "insert into runs (id, name, spec, spec_sha256, preset, status, workflow_id,"
              + " code_version, reused_from_run, reuse_from_stage, created_at)"
              + " values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, coalesce(?, now()))",
          run.id(),
          run.name(),
          run.specJson(),
          run.specSha256(),
          run.preset(),
          RunStatus.QUEUED,
          run.workflowId(),
          run.codeVersion(),
          run.reusedFromRun(),
          run.reuseFromStage(),
          run.createdAt());
    } catch (RepositoryException e) {
      throw explain(op, run, e);
    }
  }

  private static RepositoryException explain(String op, RunRow run, RepositoryException e) {
    if (!(e.getCause() instanceof SQLException s)) {
      return e;
    }
    if (Sql.UNIQUE_VIOLATION.equals(s.getSQLState())) {
      return new RepositoryException(op + ": run " + run.id() + " already exists", s);
    }
    if (Sql.FOREIGN_KEY_VIOLATION.equals(s.getSQLState())) {
      return new RepositoryException(
          op + ": reusedFromRun " + run.reusedFromRun() + " is not a known run", s);
    }
    return e;
  }

  public Optional<RunRow> findRun(String runId) {
    return sql.first(
        "findRun(" + runId + ")",
        "select " + COLUMNS + " from runs where id = ?",
        RunRow.class,
        runId);
  }

  /** The newest {@code limit} runs, newest first. */
  public List<RunRow> listRuns(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    return sql.list(
        "listRuns(" + limit + ")",
        "select " + COLUMNS + " from runs order by created_at desc, id desc limit ?",
        RunRow.class,
        limit);
  }

  /** Runs whose status is in flight (QUEUED, RUNNING or PAUSED), oldest first. */
  public List<RunRow> inFlightRuns() {
    return sql.list(
        "inFlightRuns",
        "select "
            + COLUMNS
            + " from runs where status in ("
            + String.join(", ", Collections.nCopies(IN_FLIGHT.length, "?"))
            + ") order by created_at, id",
        RunRow.class,
        IN_FLIGHT);
  }

  /**
   * Sets the run's status and error ({@code null} clears it). The first RUNNING sets {@code
   * started_at}; a terminal status sets {@code finished_at}, and a non-terminal one clears it (the
   * run was resumed).
   */
  public void updateRunStatus(String runId, RunStatus status, String error) {
    Sql.require(RunStatus.class, "run status", status);
    String op = "updateRunStatus(" + runId + ", " + status + ")";
    int n =
        sql.update(
            op,
            "update runs set status = ?, error = ?,"
                + " started_at = case when ? then coalesce(started_at, now())"
                + " else started_at end,"
                + " finished_at = case when ? then now() else null end"
                + " where id = ?",
            status,
            error,
            status == RunStatus.RUNNING,
            status.isTerminal(),
            runId);
    Sql.requireOne(n, op, "no run " + runId);
  }
}
