package com.magicdistill.db;

import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The objects a run produced ({@code artifacts}) and the models it exported ({@code
 * exported_models}). Both writes are idempotent: by run and object key, and by run and name.
 */
public final class ArtifactRepository {
  /** The {@code artifacts.kind} CHECK constraint in {@code db/migrations/V1__runs.sql}. */
  public static final Set<String> KINDS =
      Set.of("checkpoint", "samples", "report", "dataset", "model");

  private final Sql sql;

  public ArtifactRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /**
   * Records an object the run produced; {@code kind} is one of {@link #KINDS}. Recording the same
   * run and object key again replaces the row.
   */
  public void recordArtifact(
      String runId, String stage, String kind, String objectKey, String sha256, long bytes) {
    Sql.require(KINDS, "artifact kind", kind);
    sql.update(
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
    return sql.list(
        "artifacts(" + runId + ")",
        "select id, run_id, stage, kind, object_key, sha256, bytes, created_at from artifacts"
            + " where run_id = ? order by id",
        ArtifactRow.class,
        runId);
  }

  /**
   * Records a model the run exported under {@code objectPrefix}; {@code metricsJson} (may be null)
   * is its evaluation summary. Recording the same run and name again replaces the row.
   */
  public void recordExportedModel(
      String runId, String name, String objectPrefix, String manifestSha256, String metricsJson) {
    sql.update(
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
    return sql.list(
        "exportedModels(" + runId + ")",
        "select id, run_id, name, object_prefix, manifest_sha256, metrics::text as metrics_json,"
            + " created_at from exported_models where run_id = ? order by id",
        ExportedModelRow.class,
        runId);
  }
}
