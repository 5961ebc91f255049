package com.magicdistill.db;

import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code stage_cache}: a stage's outputs (JSON text) by cache key, so a later run with the same
 * inputs can skip the stage. {@link #putCache} is idempotent (it replaces the entry).
 */
public final class StageCacheRepository {
  private final Sql sql;

  public StageCacheRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /** The outputs (JSON text) cached under {@code cacheKey}, if any. */
  public Optional<String> cachedOutputs(String cacheKey) {
    return sql.first(
        "cachedOutputs(" + cacheKey + ")",
        "select outputs::text from stage_cache where cache_key = ?",
        String.class,
        cacheKey);
  }

  /** Caches the outputs of {@code runId}'s {@code stage} under {@code cacheKey} (replacing any). */
  public void putCache(String cacheKey, String runId, String stage, String outputsJson) {
    sql.update(
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
    sql.update(
        "deleteCache(" + cacheKey + ")", "delete from stage_cache where cache_key = ?", cacheKey);
  }
}
