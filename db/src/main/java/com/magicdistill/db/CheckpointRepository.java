package com.magicdistill.db;

import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code checkpoints} a stage's attempts wrote, and which of them retention has deleted. {@link
 * #recordCheckpoint} is idempotent by object key (a retried write replaces the row).
 */
public final class CheckpointRepository {
  private static final String COLUMNS =
      "id, run_id, stage, attempt_id, object_key, step, bytes, checksum, metric, created_at,"
          + " deleted_at";

  private final Sql sql;

  public CheckpointRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /**
   * Records a checkpoint object written by {@code attemptId}. Recording the same object key again
   * (a retried write) replaces the row's attempt, step, size, checksum and metric and clears {@code
   * deleted_at}.
   *
   * @param checksum the tensor file's checksum with its algorithm, {@code crc32c:<8 hex>} (or
   *     {@code sha256:<64 hex>} for a checkpoint of the earlier format)
   */
  public void recordCheckpoint(
      String runId,
      String stage,
      long attemptId,
      String objectKey,
      long step,
      long bytes,
      String checksum,
      Double metric) {
    sql.update(
        "recordCheckpoint(" + runId + ", " + stage + ", " + objectKey + ")",
        "insert into checkpoints (run_id, stage, attempt_id, object_key, step, bytes, checksum,"
            + " metric) values (?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (object_key) do update set run_id = excluded.run_id,"
            + " stage = excluded.stage, attempt_id = excluded.attempt_id, step = excluded.step,"
            + " bytes = excluded.bytes, checksum = excluded.checksum, metric = excluded.metric,"
            + " created_at = now(), deleted_at = null",
        runId,
        stage,
        attemptId,
        objectKey,
        step,
        bytes,
        checksum,
        metric);
  }

  /** The run+stage's checkpoints by step, deleted ones included ({@code deletedAt} set). */
  public List<CheckpointRow> checkpoints(String runId, String stage) {
    return sql.list(
        "checkpoints(" + runId + ", " + stage + ")",
        "select " + COLUMNS + " from checkpoints where run_id = ? and stage = ? order by step, id",
        CheckpointRow.class,
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
        sql.update(
            op,
            "update checkpoints set deleted_at = coalesce(deleted_at, now()) where object_key = ?",
            objectKey);
    Sql.requireOne(n, op, "no checkpoint with object key " + objectKey);
  }
}
