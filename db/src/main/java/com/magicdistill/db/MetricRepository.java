package com.magicdistill.db;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code metrics} series of a run's stages: one value per (run, stage, name, step), so a
 * resumed attempt that replays steps overwrites them ({@link #recordMetrics} is idempotent).
 */
public final class MetricRepository {
  private final Sql sql;

  public MetricRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /**
   * Inserts the points in one batch (one transaction); a point whose (name, step) exists for this
   * run+stage replaces it (a resumed attempt replays steps).
   */
  public void recordMetrics(String runId, String stage, List<MetricPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    sql.batch(
        "recordMetrics(" + runId + ", " + stage + ", " + points.size() + " points)",
        "insert into metrics (run_id, stage, step, name, value) values (?, ?, ?, ?, ?)"
            + " on conflict (run_id, stage, name, step) do update"
            + " set value = excluded.value, recorded_at = now()",
        points.stream()
            .map(p -> new Object[] {runId, stage, p.step(), p.name(), p.value()})
            .toList());
  }

  /** The series {@code name} of the run+stage, by step. */
  public List<MetricPoint> metrics(String runId, String stage, String name) {
    return sql.list(
        "metrics(" + runId + ", " + stage + ", " + name + ")",
        "select name, step, value from metrics where run_id = ? and stage = ? and name = ?"
            + " order by step",
        MetricPoint.class,
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
    return sql.list(
        "metricsRecordedSince(" + runId + ", " + stage + ", " + name + ")",
        "select name, step, value from metrics where run_id = ? and stage = ? and name = ?"
            + " and recorded_at >= ? order by step",
        MetricPoint.class,
        runId,
        stage,
        name,
        since);
  }
}
