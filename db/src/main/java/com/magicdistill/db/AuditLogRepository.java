package com.magicdistill.db;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Who did what in the console and the API ({@code audit_log}, V4): runs launched and steered,
 * tokens, webhooks and users changed. Append-only.
 */
public final class AuditLogRepository {
  /**
   * One entry.
   *
   * @param actor {@code token:<id>}, a user name, or {@code schedule:<id>}
   * @param runId the run acted on, if any
   * @param target what was acted on otherwise ({@code token:<id>}, {@code webhook:<id>}, {@code
   *     user:<name>}), kept in {@code detail}
   */
  public record AuditEntry(
      long id,
      Instant at,
      String actor,
      String teamId,
      String action,
      String runId,
      String target) {}

  private final Sql sql;

  public AuditLogRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  public void record(String actor, String teamId, String action, String runId, String target) {
    sql.update(
        "audit(" + action + ")",
        "insert into audit_log (actor, team_id, action, run_id, detail) values (?, ?, ?, ?,"
            + " case when ?::text is null then null else jsonb_build_object('target', ?::text)"
            + " end)",
        actor,
        teamId,
        action,
        runId,
        target,
        target);
  }

  /** The scope's newest entries first. */
  public List<AuditEntry> recent(TeamScope scope, int limit) {
    return sql.list(
        "recentAudit",
        "select id, at, actor, team_id, action, run_id, detail ->> 'target' as target"
            + " from audit_log where "
            + scope.condition("team_id")
            + " order by id desc limit ?",
        AuditEntry.class,
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(scope.params()), java.util.stream.Stream.of(limit))
            .toArray());
  }
}
