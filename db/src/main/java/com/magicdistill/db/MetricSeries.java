package com.magicdistill.db;

import java.util.List;
import javax.sql.DataSource;

/**
 * Metric series for charts, downsampled in PostgreSQL: at most {@code maxPoints} buckets of equal
 * step width, each with its first step and the mean, min and max of its values, so a 100,000-step
 * curve reaches the browser as 500 points with its spikes kept. The API and the console pages read
 * metrics only through here.
 */
public final class MetricSeries {
  /** A series of a run: which stage and name, how many points, over which steps. */
  public record SeriesInfo(String stage, String name, long points, long firstStep, long lastStep) {}

  /** One bucket (or one raw point, when min = mean = max). */
  public record Bucket(long step, double mean, double min, double max) {}

  /**
   * @param bucketSize steps per bucket (1 when not downsampled)
   */
  public record Series(List<Bucket> points, boolean downsampled, long bucketSize) {}

  private final Sql sql;

  public MetricSeries(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /** The series of a run by stage and name (callers check that the run is the caller's team's). */
  public List<SeriesInfo> catalogue(String runId) {
    return catalogue(runId, "stage, name");
  }

  /** The series of a run in the order they were first recorded (pipeline order), for tabs. */
  public List<SeriesInfo> catalogueAsRecorded(String runId) {
    return catalogue(runId, "min(recorded_at), stage, name");
  }

  private List<SeriesInfo> catalogue(String runId, String order) {
    return sql.list(
        "metricCatalogue(" + runId + ")",
        "select stage, name, count(*) as points, min(step) as first_step, max(step) as last_step"
            + " from metrics where run_id = ? group by stage, name order by "
            + order,
        SeriesInfo.class,
        runId);
  }

  /** The newest recorded step of each stage's training loss (progress without Temporal). */
  public record LatestStep(String stage, long step, Double loss) {}

  public List<LatestStep> latestSteps(String runId) {
    return sql.list(
        "latestSteps(" + runId + ")",
        "select distinct on (stage) stage, step, value as loss from metrics where run_id = ?"
            + " and name like '%loss' order by stage, step desc, case name when 'generator.loss'"
            + " then 0 when 'teacher.loss' then 1 else 2 end, name",
        LatestStep.class,
        runId);
  }

  /** Every step of a series, downsampled to at most {@code maxPoints}. */
  public List<Bucket> points(String runId, String stage, String name, int maxPoints) {
    return series(runId, stage, name, maxPoints, Long.MIN_VALUE, Long.MAX_VALUE).points();
  }

  public Series series(
      String runId, String stage, String name, int maxPoints, long fromStep, long toStep) {
    if (maxPoints < 2 || maxPoints > 10_000) {
      throw new IllegalArgumentException(
          "maxPoints is invalid (got " + maxPoints + "): use 2-10000");
    }
    String op = "metricSeries(" + runId + ", " + stage + ", " + name + ")";
    Range r =
        sql.first(
                op,
                "select count(*) as n, coalesce(min(step), 0) as lo, coalesce(max(step), 0) as hi"
                    + " from metrics where run_id = ? and stage = ? and name = ?"
                    + " and step between ? and ?",
                Range.class,
                runId,
                stage,
                name,
                fromStep,
                toStep)
            .orElseThrow();
    if (r.n() <= maxPoints) {
      return new Series(
          sql.list(
              op,
              "select step, value as mean, value as min, value as max from metrics"
                  + " where run_id = ? and stage = ? and name = ? and step between ? and ?"
                  + " order by step",
              Bucket.class,
              runId,
              stage,
              name,
              fromStep,
              toStep),
          false,
          1);
    }
    long width = Math.max(1, (r.hi() - r.lo() + maxPoints) / maxPoints);
    return new Series(
        sql.list(
            op,
            "select min(step) as step, avg(value) as mean, min(value) as min, max(value) as max"
                + " from metrics where run_id = ? and stage = ? and name = ? and step between ? and ?"
                + " group by (step - ?) / ? order by 1",
            Bucket.class,
            runId,
            stage,
            name,
            fromStep,
            toStep,
            r.lo(),
            width),
        true,
        width);
  }

  private record Range(long n, long lo, long hi) {}
}
