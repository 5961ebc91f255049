package com.magicdistill.db;

import com.magicdistill.workflows.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The console's and the API's reads of runs, always within a {@link TeamScope}: filtered lists with
 * keyset pagination (newest first, stable while runs are inserted: a page continues strictly after
 * the last {@code (created_at, id)} it showed), counts per status, and one run.
 */
public final class RunQueries {
  public static final int MAX_LIMIT = 200;

  /** One run as lists show it (no spec). */
  public record RunSummary(
      String id,
      String name,
      String preset,
      RunStatus status,
      String teamId,
      String createdBy,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String error,
      String reusedFromRun,
      String reuseFromStage) {}

  /** One run with its spec. */
  public record RunDetailRow(
      String id,
      String name,
      String preset,
      RunStatus status,
      String teamId,
      String createdBy,
      String specJson,
      String specSha256,
      String codeVersion,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String error,
      String reusedFromRun,
      String reuseFromStage) {}

  /** Where a page starts: strictly after this run in newest-first order. */
  public record Cursor(Instant createdAt, String id) {}

  /**
   * The filters of a list; null or empty means "any".
   *
   * @param q a prefix of the run id or name (case-insensitive for the name)
   */
  public record RunFilter(
      Set<RunStatus> statuses,
      String preset,
      String q,
      Instant createdAfter,
      Instant createdBefore) {
    public static final RunFilter ANY = new RunFilter(Set.of(), null, null, null, null);
  }

  /** A page and where the next starts (null on the last page). */
  public record Page(List<RunSummary> items, Cursor next) {}

  private static final String SUMMARY =
      "id, name, preset, status, team_id, created_by, created_at, started_at, finished_at, error,"
          + " reused_from_run, reuse_from_stage";

  private final Sql sql;

  public RunQueries(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  public Page list(TeamScope scope, RunFilter filter, Cursor after, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit is invalid (got " + limit + "): use 1-" + MAX_LIMIT);
    }
    StringBuilder where = new StringBuilder(scope.condition("team_id"));
    List<Object> params = new ArrayList<>(List.of(scope.params()));
    if (filter.statuses() != null && !filter.statuses().isEmpty()) {
      where.append(" and status in (");
      String sep = "";
      for (RunStatus s : filter.statuses()) {
        where.append(sep).append('?');
        params.add(s);
        sep = ", ";
      }
      where.append(')');
    }
    if (filter.preset() != null && !filter.preset().isBlank()) {
      where.append(" and preset = ?");
      params.add(filter.preset());
    }
    if (filter.q() != null && !filter.q().isBlank()) {
      String prefix = likeEscape(filter.q().strip()) + "%";
      where.append(" and (id like ? or lower(name) like lower(?))");
      params.add(prefix);
      params.add(prefix);
    }
    if (filter.createdAfter() != null) {
      where.append(" and created_at >= ?");
      params.add(filter.createdAfter());
    }
    if (filter.createdBefore() != null) {
      where.append(" and created_at < ?");
      params.add(filter.createdBefore());
    }
    if (after != null) {
      where.append(" and (created_at, id) < (?, ?)");
      params.add(after.createdAt());
      params.add(after.id());
    }
    params.add(limit + 1);
    List<RunSummary> rows =
        sql.list(
            "listRuns",
            "select "
                + SUMMARY
                + " from runs where "
                + where
                + " order by created_at desc, id desc limit ?",
            RunSummary.class,
            params.toArray());
    if (rows.size() <= limit) {
      return new Page(rows, null);
    }
    List<RunSummary> page = rows.subList(0, limit);
    RunSummary last = page.get(limit - 1);
    return new Page(List.copyOf(page), new Cursor(last.createdAt(), last.id()));
  }

  /** How many runs of the scope are in each status. */
  public List<StatusCount> counts(TeamScope scope) {
    return sql.list(
        "countRuns",
        "select status, count(*) as runs from runs where "
            + scope.condition("team_id")
            + " group by status order by status",
        StatusCount.class,
        scope.params());
  }

  /** Runs per status. */
  public record StatusCount(RunStatus status, long runs) {}

  /** The run if the scope may see it; another team's run is absent. */
  public Optional<RunDetailRow> find(TeamScope scope, String runId) {
    Object[] params = ApiTokenRepository.concat(scope.params(), runId);
    return sql.first(
        "findRun(" + runId + ")",
        "select id, name, preset, status, team_id, created_by, spec::text as spec_json, spec_sha256,"
            + " code_version, created_at, started_at, finished_at, error, reused_from_run,"
            + " reuse_from_stage from runs where "
            + scope.condition("team_id")
            + " and id = ?",
        RunDetailRow.class,
        params);
  }

  /** How many runs of the team are queued, running or paused (the team quota). */
  public long activeRuns(String teamId) {
    return sql.single(
            "activeRuns(" + teamId + ")",
            "select count(*) from runs where team_id = ? and status in ('QUEUED', 'RUNNING', 'PAUSED')",
            Long.class,
            teamId)
        .orElse(0L);
  }

  static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
