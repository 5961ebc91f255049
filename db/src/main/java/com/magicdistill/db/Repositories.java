package com.magicdistill.db;

import javax.sql.DataSource;

/**
 * The run-metadata repositories over one database, one per aggregate (schema: {@code
 * db/migrations/V*.sql}). Every method is one short statement (a metric batch is one transaction);
 * the writes an activity may repeat on a retry are idempotent.
 */
public record Repositories(
    RunRepository runs,
    StageRepository stages,
    CheckpointRepository checkpoints,
    MetricRepository metrics,
    ArtifactRepository artifacts,
    StageCacheRepository cache) {

  /** All of them over {@code dataSource} (a pool: see {@link Database#connect}). */
  public static Repositories of(DataSource dataSource) {
    return new Repositories(
        new RunRepository(dataSource),
        new StageRepository(dataSource),
        new CheckpointRepository(dataSource),
        new MetricRepository(dataSource),
        new ArtifactRepository(dataSource),
        new StageCacheRepository(dataSource));
  }
}
