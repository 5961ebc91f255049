package com.magicdistill.db;

import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.StageStatus;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code stages} of a run and their {@code stage_attempts} (one per Temporal activity attempt).
 * The newest attempt of a run+stage is the only one allowed to write checkpoints: {@link
 * #isNewestAttempt} is that fence. {@link #upsertStage} is idempotent.
 */
public final class StageRepository {
  private static final String STAGE_COLUMNS =
      "run_id, stage, ordinal, status, cache_key, outputs::text as outputs_json, total_steps,"
          + " started_at, finished_at";
  private static final String ATTEMPT_COLUMNS =
      "id, run_id, stage, attempt, worker, started_at, ended_at, outcome, start_step, end_step,"
          + " resumed_from, error";

  private final Sql sql;

  public StageRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  // ---------------------------------------------------------------- stages

  /** Creates the stage row, or sets its ordinal and status if it exists. */
  public void upsertStage(String runId, String stage, int ordinal, StageStatus status) {
    Sql.require(StageStatus.class, "stage status", status);
    sql.update(
        "upsertStage(" + runId + ", " + stage + ")",
        "insert into stages (run_id, stage, ordinal, status) values (?, ?, ?, ?)"
            + " on conflict (run_id, stage) do update"
            + " set ordinal = excluded.ordinal, status = excluded.status",
        runId,
        stage,
        ordinal,
        status);
  }

  /**
   * Marks the stage RUNNING with its cache key and step count; {@code started_at} is set by the
   * first start and kept by later ones (attempts have their own times).
   *
   * @throws RepositoryException if the stage row does not exist (call {@link #upsertStage} first)
   */
  public void startStage(String runId, String stage, String cacheKey, long totalSteps) {
    String op = "startStage(" + runId + ", " + stage + ")";
    int n =
        sql.update(
            op,
            "update stages set status = ?, cache_key = ?, total_steps = ?,"
                + " started_at = coalesce(started_at, now()), finished_at = null"
                + " where run_id = ? and stage = ?",
            StageStatus.RUNNING,
            cacheKey,
            totalSteps,
            runId,
            stage);
    Sql.requireOne(n, op, missingStage(runId, stage));
  }

  /** Sets the stage's final status and outputs (JSON text, may be null) and {@code finished_at}. */
  public void finishStage(String runId, String stage, StageStatus status, String outputsJson) {
    Sql.require(StageStatus.class, "stage status", status);
    String op = "finishStage(" + runId + ", " + stage + ", " + status + ")";
    int n =
        sql.update(
            op,
            "update stages set status = ?, outputs = ?::jsonb, finished_at = now()"
                + " where run_id = ? and stage = ?",
            status,
            outputsJson,
            runId,
            stage);
    Sql.requireOne(n, op, missingStage(runId, stage));
  }

  /** The run's stages by ordinal. */
  public List<StageRow> stages(String runId) {
    return sql.list(
        "stages(" + runId + ")",
        "select " + STAGE_COLUMNS + " from stages where run_id = ? order by ordinal, stage",
        StageRow.class,
        runId);
  }

  private static String missingStage(String runId, String stage) {
    return "no stage " + stage + " in run " + runId + " (call upsertStage first)";
  }

  // ---------------------------------------------------------------- attempts

  /**
   * Records a new attempt (outcome RUNNING) and returns its id. From now on it is the newest
   * attempt of the run+stage: earlier ones fail {@link #isNewestAttempt}.
   *
   * @param startStep the step it resumes at; 0 for a fresh start
   * @param resumedFrom the checkpoint object key it resumed from, or null
   */
  public long startAttempt(
      String runId, String stage, int attempt, String worker, long startStep, String resumedFrom) {
    return sql.first(
            "startAttempt(" + runId + ", " + stage + ", attempt " + attempt + ")",
            "insert into stage_attempts (run_id, stage, attempt, worker, start_step,"
                + " resumed_from) values (?, ?, ?, ?, ?, ?) returning id",
            Long.class,
            runId,
            stage,
            attempt,
            worker,
            startStep,
            resumedFrom)
        .orElseThrow();
  }

  /** Sets the attempt's outcome, last step (may be null), error and {@code ended_at}. */
  public void endAttempt(long attemptId, AttemptOutcome outcome, Long endStep, String error) {
    Sql.require(AttemptOutcome.class, "attempt outcome", outcome);
    String op = "endAttempt(" + attemptId + ", " + outcome + ")";
    int n =
        sql.update(
            op,
            "update stage_attempts set outcome = ?, end_step = ?, error = ?, ended_at = now()"
                + " where id = ?",
            outcome,
            endStep,
            error,
            attemptId);
    Sql.requireOne(n, op, "no attempt " + attemptId);
  }

  /**
   * Records where an attempt actually resumed: the engine may skip a corrupt checkpoint for an
   * earlier one, so this can differ from what the last heartbeat said.
   */
  public void updateAttemptStart(long attemptId, long startStep, String resumedFrom) {
    String op = "updateAttemptStart(" + attemptId + ")";
    int n =
        sql.update(
            op,
            "update stage_attempts set start_step = ?, resumed_from = ? where id = ?",
            startStep,
            resumedFrom,
            attemptId);
    Sql.requireOne(n, op, "no attempt " + attemptId);
  }

  /**
   * The checkpoint fence: true iff no attempt of the same run+stage was started after this one. An
   * attempt that sees false has been superseded and must not write checkpoints.
   *
   * @throws RepositoryException if there is no attempt with this id
   */
  public boolean isNewestAttempt(long attemptId) {
    String op = "isNewestAttempt(" + attemptId + ")";
    return sql.first(
            op,
            "select not exists (select 1 from stage_attempts later"
                + " where later.run_id = a.run_id and later.stage = a.stage and later.id > a.id)"
                + " from stage_attempts a where a.id = ?",
            Boolean.class,
            attemptId)
        .orElseThrow(() -> new RepositoryException(op + ": no attempt " + attemptId));
  }

  /**
   * Marks the run+stage's attempts that were started before {@code exceptAttemptId} and are still
   * RUNNING as LOST (their worker died or was cut off), with {@code ended_at} now.
   */
  public void markAttemptsLost(String runId, String stage, long exceptAttemptId) {
    sql.update(
        "markAttemptsLost(" + runId + ", " + stage + ")",
        "update stage_attempts set outcome = ?, ended_at = now()"
            + " where run_id = ? and stage = ? and id < ? and outcome = ?",
        AttemptOutcome.LOST,
        runId,
        stage,
        exceptAttemptId,
        AttemptOutcome.RUNNING);
  }

  /** The run+stage's attempts, oldest first. */
  public List<AttemptRow> attempts(String runId, String stage) {
    return sql.list(
        "attempts(" + runId + ", " + stage + ")",
        "select "
            + ATTEMPT_COLUMNS
            + " from stage_attempts where run_id = ? and stage = ? order by id",
        AttemptRow.class,
        runId,
        stage);
  }

  /** The run's attempts counted by budget: preemptions (LOST, DRAINED) and errors (FAILED). */
  public AttemptCounts attemptCounts(String runId) {
    return sql.list(
            "attemptCounts(" + runId + ")",
            "select count(*) filter (where outcome in (?, ?)) as preemptions,"
                + " count(*) filter (where outcome = ?) as errors"
                + " from stage_attempts where run_id = ?",
            AttemptCounts.class,
            AttemptOutcome.LOST,
            AttemptOutcome.DRAINED,
            AttemptOutcome.FAILED,
            runId)
        .get(0);
  }
}
