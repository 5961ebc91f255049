package com.magicdistill.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Run metadata in PostgreSQL, by plain JDBC: runs, their stages and activity attempts, checkpoints,
 * metric series, artifacts, exported models and the stage cache (schema: {@code
 * db/migrations/V*.sql}, tables: {@code docs/DATABASE.md}).
 *
 * <p>Every method is one short transaction. Timestamps come from the database clock ({@code
 * now()}). JSON columns take and return JSON text (write it with Jackson); PostgreSQL stores them
 * as {@code jsonb}, so what comes back is the same JSON value with normalised whitespace and key
 * order, not the same characters. Failures are {@link RepositoryException}s naming the operation
 * and the run/stage; a status outside the allowed set is an {@link IllegalArgumentException}.
 *
 * <p>The writes an activity may repeat on a retry are idempotent: {@link #recordCheckpoint} (by
 * object key), {@link #recordMetrics} (by run, stage, name, step), {@link #recordArtifact} (by run
 * and object key), {@link #recordExportedModel} (by run and name), {@link #upsertStage} and {@link
 * #putCache}.
 */
public final class RunRepository {
  public static final Set<String> RUN_STATUSES =
      Set.of("QUEUED", "RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "CANCELLED");
  public static final Set<String> TERMINAL_RUN_STATUSES =
      Set.of("SUCCEEDED", "FAILED", "CANCELLED");
  public static final Set<String> STAGE_STATUSES =
      Set.of("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "CACHED", "REUSED");
  public static final Set<String> ATTEMPT_OUTCOMES =
      Set.of("RUNNING", "SUCCEEDED", "FAILED", "LOST", "PAUSED", "CANCELLED", "SUPERSEDED");
  public static final Set<String> ARTIFACT_KINDS =
      Set.of("checkpoint", "samples", "report", "dataset", "model");

  /** A row of {@code runs}. {@code specJson} is the full validated RunSpec. */
  public record RunRow(
      String id,
      String name,
      String specJson,
      String specSha256,
      String preset,
      String status,
      String workflowId,
      String codeVersion,
      String reusedFromRun,
      String reuseFromStage,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String error) {}

  /** A row of {@code stages}; {@code stage} is the slug ({@code fine-tune}, ...). */
  public record StageRow(
      String runId,
      String stage,
      int ordinal,
      String status,
      String cacheKey,
      String outputsJson,
      Long totalSteps,
      Instant startedAt,
      Instant finishedAt) {}

  /** A row of {@code stage_attempts}: one Temporal activity attempt of a stage. */
  public record AttemptRow(
      long id,
      String runId,
      String stage,
      int attempt,
      String worker,
      Instant startedAt,
      Instant endedAt,
      String outcome,
      long startStep,
      Long endStep,
      String resumedFrom,
      String error) {}

  /** A row of {@code checkpoints}; {@code deletedAt} is set once retention removed the object. */
  public record CheckpointRow(
      long id,
      String runId,
      String stage,
      long attemptId,
      String objectKey,
      long step,
      long bytes,
      String sha256,
      Double metric,
      Instant createdAt,
      Instant deletedAt) {}

  /** One point of a metric series. */
  public record MetricPoint(String name, long step, double value) {}

  /** A row of {@code artifacts}; {@code stage} may be null for run-level artifacts. */
  public record ArtifactRow(
      long id,
      String runId,
      String stage,
      String kind,
      String objectKey,
      String sha256,
      long bytes,
      Instant createdAt) {}

  /** A row of {@code exported_models}. */
  public record ExportedModelRow(
      long id,
      String runId,
      String name,
      String objectPrefix,
      String manifestSha256,
      String metricsJson,
      Instant createdAt) {}

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private static final String RUN_COLUMNS =
      "id, name, spec::text, spec_sha256, preset, status, workflow_id, code_version,"
          + " reused_from_run, reuse_from_stage, created_at, started_at, finished_at, error";
  private static final String STAGE_COLUMNS =
      "run_id, stage, ordinal, status, cache_key, outputs::text, total_steps, started_at,"
          + " finished_at";
  private static final String ATTEMPT_COLUMNS =
      "id, run_id, stage, attempt, worker, started_at, ended_at, outcome, start_step, end_step,"
          + " resumed_from, error";
  private static final String CHECKPOINT_COLUMNS =
      "id, run_id, stage, attempt_id, object_key, step, bytes, sha256, metric, created_at,"
          + " deleted_at";

  private final DataSource dataSource;

  public RunRepository(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  // ---------------------------------------------------------------- runs

  /**
   * Inserts {@code run} with status QUEUED. {@code createdAt} defaults to now; its status,
   * started/finished times and error are ignored (a new run has none).
   *
   * @throws RepositoryException if a run with this id exists
   */
  public void createRun(RunRow run) {
    String op = "createRun(" + run.id() + ")";
    execute(
        op,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into runs (id, name, spec, spec_sha256, preset, status, workflow_id,"
                      + " code_version, reused_from_run, reuse_from_stage, created_at)"
                      + " values (?, ?, ?::jsonb, ?, ?, 'QUEUED', ?, ?, ?, ?,"
                      + " coalesce(?, now()))")) {
            ps.setString(1, run.id());
            ps.setString(2, run.name());
            ps.setString(3, run.specJson());
            ps.setString(4, run.specSha256());
            ps.setString(5, run.preset());
            ps.setString(6, run.workflowId());
            ps.setString(7, run.codeVersion());
            ps.setString(8, run.reusedFromRun());
            ps.setString(9, run.reuseFromStage());
            setInstant(ps, 10, run.createdAt());
            ps.executeUpdate();
          } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw new RepositoryException(op + ": run " + run.id() + " already exists", e);
            }
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
              throw new RepositoryException(
                  op + ": reusedFromRun " + run.reusedFromRun() + " is not a known run", e);
            }
            throw e;
          }
          return null;
        });
  }

  public Optional<RunRow> findRun(String runId) {
    return query(
            "findRun(" + runId + ")",
            "select " + RUN_COLUMNS + " from runs where id = ?",
            RunRepository::runRow,
            runId)
        .stream()
        .findFirst();
  }

  /** The newest {@code limit} runs, newest first. */
  public List<RunRow> listRuns(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    return query(
        "listRuns(" + limit + ")",
        "select " + RUN_COLUMNS + " from runs order by created_at desc, id desc limit ?",
        RunRepository::runRow,
        limit);
  }

  /** Runs whose status is QUEUED, RUNNING or PAUSED, oldest first. */
  public List<RunRow> inFlightRuns() {
    return query(
        "inFlightRuns",
        "select "
            + RUN_COLUMNS
            + " from runs where status in ('QUEUED', 'RUNNING', 'PAUSED')"
            + " order by created_at, id",
        RunRepository::runRow);
  }

  /**
   * Sets the run's status and error ({@code null} clears it). The first RUNNING sets {@code
   * started_at}; a terminal status (SUCCEEDED, FAILED, CANCELLED) sets {@code finished_at}, and a
   * non-terminal one clears it (the run was resumed).
   */
  public void updateRunStatus(String runId, String status, String error) {
    require(RUN_STATUSES, "run status", status);
    String op = "updateRunStatus(" + runId + ", " + status + ")";
    int n =
        update(
            op,
            "update runs set status = ?, error = ?,"
                + " started_at = case when ? = 'RUNNING' then coalesce(started_at, now())"
                + " else started_at end,"
                + " finished_at = case when ? then now() else null end"
                + " where id = ?",
            status,
            error,
            status,
            TERMINAL_RUN_STATUSES.contains(status),
            runId);
    requireOne(n, op, "no run " + runId);
  }

  // ---------------------------------------------------------------- stages

  /** Creates the stage row, or sets its ordinal and status if it exists. */
  public void upsertStage(String runId, String stage, int ordinal, String status) {
    require(STAGE_STATUSES, "stage status", status);
    update(
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
        update(
            op,
            "update stages set status = 'RUNNING', cache_key = ?, total_steps = ?,"
                + " started_at = coalesce(started_at, now()), finished_at = null"
                + " where run_id = ? and stage = ?",
            cacheKey,
            totalSteps,
            runId,
            stage);
    requireOne(n, op, "no stage " + stage + " in run " + runId + " (call upsertStage first)");
  }

  /** Sets the stage's final status and outputs (JSON text, may be null) and {@code finished_at}. */
  public void finishStage(String runId, String stage, String status, String outputsJson) {
    require(STAGE_STATUSES, "stage status", status);
    String op = "finishStage(" + runId + ", " + stage + ", " + status + ")";
    int n =
        update(
            op,
            "update stages set status = ?, outputs = ?::jsonb, finished_at = now()"
                + " where run_id = ? and stage = ?",
            status,
            outputsJson,
            runId,
            stage);
    requireOne(n, op, "no stage " + stage + " in run " + runId + " (call upsertStage first)");
  }

  /** The run's stages by ordinal. */
  public List<StageRow> stages(String runId) {
    return query(
        "stages(" + runId + ")",
        "select " + STAGE_COLUMNS + " from stages where run_id = ? order by ordinal, stage",
        RunRepository::stageRow,
        runId);
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
    String op = "startAttempt(" + runId + ", " + stage + ", attempt " + attempt + ")";
    return execute(
        op,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into stage_attempts (run_id, stage, attempt, worker, start_step,"
                      + " resumed_from) values (?, ?, ?, ?, ?, ?) returning id")) {
            bind(ps, runId, stage, attempt, worker, startStep, resumedFrom);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** Sets the attempt's outcome, last step (may be null), error and {@code ended_at}. */
  public void endAttempt(long attemptId, String outcome, Long endStep, String error) {
    require(ATTEMPT_OUTCOMES, "attempt outcome", outcome);
    String op = "endAttempt(" + attemptId + ", " + outcome + ")";
    int n =
        update(
            op,
            "update stage_attempts set outcome = ?, end_step = ?, error = ?, ended_at = now()"
                + " where id = ?",
            outcome,
            endStep,
            error,
            attemptId);
    requireOne(n, op, "no attempt " + attemptId);
  }

  /**
   * Records where an attempt actually resumed: the engine may skip a corrupt checkpoint for an
   * earlier one, so this can differ from what the last heartbeat said.
   */
  public void updateAttemptStart(long attemptId, long startStep, String resumedFrom) {
    String op = "updateAttemptStart(" + attemptId + ")";
    int n =
        update(
            op,
            "update stage_attempts set start_step = ?, resumed_from = ? where id = ?",
            startStep,
            resumedFrom,
            attemptId);
    requireOne(n, op, "no attempt " + attemptId);
  }

  /**
   * The checkpoint fence: true iff no attempt of the same run+stage was started after this one. An
   * attempt that sees false has been superseded and must not write checkpoints.
   *
   * @throws RepositoryException if there is no attempt with this id
   */
  public boolean isNewestAttempt(long attemptId) {
    String op = "isNewestAttempt(" + attemptId + ")";
    List<Boolean> result =
        query(
            op,
            "select not exists (select 1 from stage_attempts later"
                + " where later.run_id = a.run_id and later.stage = a.stage and later.id > a.id)"
                + " from stage_attempts a where a.id = ?",
            rs -> rs.getBoolean(1),
            attemptId);
    if (result.isEmpty()) {
      throw new RepositoryException(op + ": no attempt " + attemptId);
    }
    return result.get(0);
  }

  /**
   * Marks the run+stage's attempts that were started before {@code exceptAttemptId} and are still
   * RUNNING as LOST (their worker died or was cut off), with {@code ended_at} now.
   */
  public void markAttemptsLost(String runId, String stage, long exceptAttemptId) {
    update(
        "markAttemptsLost(" + runId + ", " + stage + ")",
        "update stage_attempts set outcome = 'LOST', ended_at = now()"
            + " where run_id = ? and stage = ? and id < ? and outcome = 'RUNNING'",
        runId,
        stage,
        exceptAttemptId);
  }

  /** The run+stage's attempts, oldest first. */
  public List<AttemptRow> attempts(String runId, String stage) {
    return query(
        "attempts(" + runId + ", " + stage + ")",
        "select "
            + ATTEMPT_COLUMNS
            + " from stage_attempts where run_id = ? and stage = ? order by id",
        RunRepository::attemptRow,
        runId,
        stage);
  }

  // ---------------------------------------------------------------- checkpoints

  /**
   * Records a checkpoint object written by {@code attemptId}. Recording the same object key again
   * (a retried write) replaces the row's attempt, step, size, hash and metric and clears {@code
   * deleted_at}.
   */
  public void recordCheckpoint(
      String runId,
      String stage,
      long attemptId,
      String objectKey,
      long step,
      long bytes,
      String sha256,
      Double metric) {
    update(
        "recordCheckpoint(" + runId + ", " + stage + ", " + objectKey + ")",
        "insert into checkpoints (run_id, stage, attempt_id, object_key, step, bytes, sha256,"
            + " metric) values (?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (object_key) do update set run_id = excluded.run_id,"
            + " stage = excluded.stage, attempt_id = excluded.attempt_id, step = excluded.step,"
            + " bytes = excluded.bytes, sha256 = excluded.sha256, metric = excluded.metric,"
            + " created_at = now(), deleted_at = null",
        runId,
        stage,
        attemptId,
        objectKey,
        step,
        bytes,
        sha256,
        metric);
  }

  /** The run+stage's checkpoints by step, deleted ones included ({@code deletedAt} set). */
  public List<CheckpointRow> checkpoints(String runId, String stage) {
    return query(
        "checkpoints(" + runId + ", " + stage + ")",
        "select "
            + CHECKPOINT_COLUMNS
            + " from checkpoints where run_id = ? and stage = ? order by step, id",
        RunRepository::checkpointRow,
        runId,
        stage);
  }

  /**
   * Records that retention removed the checkpoint object (keeps the first deletion time).
   *
   * @throws RepositoryException if no checkpoint has this object key
   */
  public void markCheckpointDeleted(String objectKey) {
    String op = "markCheckpointDeleted(" + objectKey + ")";
    int n =
        update(
            op,
            "update checkpoints set deleted_at = coalesce(deleted_at, now()) where object_key = ?",
            objectKey);
    requireOne(n, op, "no checkpoint with object key " + objectKey);
  }

  // ---------------------------------------------------------------- metrics

  /**
   * Inserts the points in one batch; a point whose (name, step) exists for this run+stage replaces
   * it (a resumed attempt replays steps).
   */
  public void recordMetrics(String runId, String stage, List<MetricPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    execute(
        "recordMetrics(" + runId + ", " + stage + ", " + points.size() + " points)",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into metrics (run_id, stage, step, name, value) values (?, ?, ?, ?, ?)"
                      + " on conflict (run_id, stage, name, step) do update"
                      + " set value = excluded.value, recorded_at = now()")) {
            for (MetricPoint p : points) {
              bind(ps, runId, stage, p.step(), p.name(), p.value());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /** The series {@code name} of the run+stage, by step. */
  public List<MetricPoint> metrics(String runId, String stage, String name) {
    return query(
        "metrics(" + runId + ", " + stage + ", " + name + ")",
        "select name, step, value from metrics where run_id = ? and stage = ? and name = ?"
            + " order by step",
        rs -> new MetricPoint(rs.getString(1), rs.getLong(2), rs.getDouble(3)),
        runId,
        stage,
        name);
  }

  /**
   * The points of series {@code name} written (or rewritten by a replaying attempt) at or after
   * {@code since} on the database clock, by step: what a resumed attempt has recorded so far when
   * {@code since} is its {@code started_at}.
   */
  public List<MetricPoint> metricsRecordedSince(
      String runId, String stage, String name, Instant since) {
    return query(
        "metricsRecordedSince(" + runId + ", " + stage + ", " + name + ")",
        "select name, step, value from metrics where run_id = ? and stage = ? and name = ?"
            + " and recorded_at >= ? order by step",
        rs -> new MetricPoint(rs.getString(1), rs.getLong(2), rs.getDouble(3)),
        runId,
        stage,
        name,
        since);
  }

  // ---------------------------------------------------------------- artifacts and models

  /**
   * Records an object the run produced; {@code kind} is one of {@link #ARTIFACT_KINDS}. Recording
   * the same run and object key again replaces the row.
   */
  public void recordArtifact(
      String runId, String stage, String kind, String objectKey, String sha256, long bytes) {
    require(ARTIFACT_KINDS, "artifact kind", kind);
    update(
        "recordArtifact(" + runId + ", " + stage + ", " + objectKey + ")",
        "insert into artifacts (run_id, stage, kind, object_key, sha256, bytes)"
            + " values (?, ?, ?, ?, ?, ?)"
            + " on conflict (run_id, object_key) do update set stage = excluded.stage,"
            + " kind = excluded.kind, sha256 = excluded.sha256, bytes = excluded.bytes,"
            + " created_at = now()",
        runId,
        stage,
        kind,
        objectKey,
        sha256,
        bytes);
  }

  /** The run's artifacts in the order they were first recorded. */
  public List<ArtifactRow> artifacts(String runId) {
    return query(
        "artifacts(" + runId + ")",
        "select id, run_id, stage, kind, object_key, sha256, bytes, created_at from artifacts"
            + " where run_id = ? order by id",
        rs ->
            new ArtifactRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getLong(7),
                instant(rs, 8)),
        runId);
  }

  /**
   * Records a model the run exported under {@code objectPrefix}; {@code metricsJson} (may be null)
   * is its evaluation summary. Recording the same run and name again replaces the row.
   */
  public void recordExportedModel(
      String runId, String name, String objectPrefix, String manifestSha256, String metricsJson) {
    update(
        "recordExportedModel(" + runId + ", " + name + ")",
        "insert into exported_models (run_id, name, object_prefix, manifest_sha256, metrics)"
            + " values (?, ?, ?, ?, ?::jsonb)"
            + " on conflict (run_id, name) do update set object_prefix = excluded.object_prefix,"
            + " manifest_sha256 = excluded.manifest_sha256, metrics = excluded.metrics,"
            + " created_at = now()",
        runId,
        name,
        objectPrefix,
        manifestSha256,
        metricsJson);
  }

  /** The run's exported models in the order they were first recorded. */
  public List<ExportedModelRow> exportedModels(String runId) {
    return query(
        "exportedModels(" + runId + ")",
        "select id, run_id, name, object_prefix, manifest_sha256, metrics::text, created_at"
            + " from exported_models where run_id = ? order by id",
        rs ->
            new ExportedModelRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                instant(rs, 7)),
        runId);
  }

  // ---------------------------------------------------------------- stage cache

  /** The outputs (JSON text) cached under {@code cacheKey}, if any. */
  public Optional<String> cachedOutputs(String cacheKey) {
    return query(
            "cachedOutputs(" + cacheKey + ")",
            "select outputs::text from stage_cache where cache_key = ?",
            rs -> rs.getString(1),
            cacheKey)
        .stream()
        .findFirst();
  }

  /** Caches the outputs of {@code runId}'s {@code stage} under {@code cacheKey} (replacing any). */
  public void putCache(String cacheKey, String runId, String stage, String outputsJson) {
    update(
        "putCache(" + runId + ", " + stage + ", " + cacheKey + ")",
        "insert into stage_cache (cache_key, run_id, stage, outputs) values (?, ?, ?, ?::jsonb)"
            + " on conflict (cache_key) do update set run_id = excluded.run_id,"
            + " stage = excluded.stage, outputs = excluded.outputs, created_at = now()",
        cacheKey,
        runId,
        stage,
        outputsJson);
  }

  /** Forgets {@code cacheKey} (no-op if absent), e.g. when its objects are gone. */
  public void deleteCache(String cacheKey) {
    update(
        "deleteCache(" + cacheKey + ")", "delete from stage_cache where cache_key = ?", cacheKey);
  }

  // ---------------------------------------------------------------- JDBC plumbing

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs {@code work} in one transaction; wraps SQL errors with {@code op}. */
  private <T> T execute(String op, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (RepositoryException e) {
      throw e;
    } catch (SQLException e) {
      throw new RepositoryException(op + " failed: " + e.getMessage(), e);
    }
  }

  private int update(String op, String sql, Object... params) {
    return execute(
        op,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
          }
        });
  }

  private <T> List<T> query(String op, String sql, RowMapper<T> mapper, Object... params) {
    return execute(
        op,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
              List<T> rows = new ArrayList<>();
              while (rs.next()) {
                rows.add(mapper.map(rs));
              }
              return rows;
            }
          }
        });
  }

  private static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p == null) {
        ps.setNull(i + 1, Types.NULL);
      } else if (p instanceof Instant t) {
        setInstant(ps, i + 1, t);
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  private static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void require(Set<String> allowed, String what, String value) {
    if (value == null || !allowed.contains(value)) {
      throw new IllegalArgumentException(
          what + " must be one of " + new TreeSet<>(allowed) + ", got " + value);
    }
  }

  private static void requireOne(int updated, String op, String notFound) {
    if (updated == 0) {
      throw new RepositoryException(op + ": " + notFound);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static RunRow runRow(ResultSet rs) throws SQLException {
    return new RunRow(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        instant(rs, 11),
        instant(rs, 12),
        instant(rs, 13),
        rs.getString(14));
  }

  private static StageRow stageRow(ResultSet rs) throws SQLException {
    return new StageRow(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        nullableLong(rs, 7),
        instant(rs, 8),
        instant(rs, 9));
  }

  private static AttemptRow attemptRow(ResultSet rs) throws SQLException {
    return new AttemptRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getInt(4),
        rs.getString(5),
        instant(rs, 6),
        instant(rs, 7),
        rs.getString(8),
        rs.getLong(9),
        nullableLong(rs, 10),
        rs.getString(11),
        rs.getString(12));
  }

  private static CheckpointRow checkpointRow(ResultSet rs) throws SQLException {
    return new CheckpointRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getLong(7),
        rs.getString(8),
        nullableDouble(rs, 9),
        instant(rs, 10),
        instant(rs, 11));
  }
}
