package com.magicdistill.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Exported model packages of a team's runs. */
public final class ModelQueries {
  /** One exported package with the run it came from. */
  public record ModelRow(
      long id,
      String runId,
      String runName,
      String teamId,
      String name,
      String objectPrefix,
      String manifestSha256,
      String metricsJson,
      Instant createdAt) {}

  private static final String SELECT =
      "select m.id, m.run_id, r.name as run_name, r.team_id, m.name, m.object_prefix,"
          + " m.manifest_sha256, m.metrics::text as metrics_json, m.created_at"
          + " from exported_models m join runs r on r.id = m.run_id where ";

  private final Sql sql;

  public ModelQueries(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  public List<ModelRow> list(TeamScope scope, int limit) {
    return sql.list(
        "listModels",
        SELECT + scope.condition("r.team_id") + " order by m.created_at desc, m.id desc limit ?",
        ModelRow.class,
        ApiTokenRepository.concat(scope.params(), limit));
  }

  public Optional<ModelRow> find(TeamScope scope, long id) {
    return sql.first(
        "findModel(" + id + ")",
        SELECT + scope.condition("r.team_id") + " and m.id = ?",
        ModelRow.class,
        ApiTokenRepository.concat(scope.params(), id));
  }
}
