package com.magicdistill.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Cron schedules of runs ({@code run_schedules}, V4). */
public final class ScheduleRepository {
  /** A schedule; {@code requestJson} is the launch request it repeats. */
  public record ScheduleRow(
      String id,
      String teamId,
      String name,
      String cron,
      String requestJson,
      String createdBy,
      Instant createdAt,
      boolean enabled,
      Instant lastTickAt) {}

  private static final String COLUMNS =
      "id, team_id, name, cron, request::text as request_json, created_by, created_at, enabled,"
          + " last_tick_at";

  private final Sql sql;

  public ScheduleRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  public ScheduleRow create(
      String id, String teamId, String name, String cron, String requestJson, String createdBy) {
    sql.update(
        "createSchedule(" + id + ")",
        "insert into run_schedules (id, team_id, name, cron, request, created_by)"
            + " values (?, ?, ?, ?, ?::jsonb, ?)",
        id,
        teamId,
        name,
        cron,
        requestJson,
        createdBy);
    return find(TeamScope.team(teamId), id).orElseThrow();
  }

  public List<ScheduleRow> list(TeamScope scope) {
    return sql.list(
        "listSchedules",
        "select "
            + COLUMNS
            + " from run_schedules where "
            + scope.condition("team_id")
            + " order by created_at desc, id",
        ScheduleRow.class,
        scope.params());
  }

  public List<ScheduleRow> enabled() {
    return sql.list(
        "enabledSchedules",
        "select " + COLUMNS + " from run_schedules where enabled order by id",
        ScheduleRow.class);
  }

  public Optional<ScheduleRow> find(TeamScope scope, String id) {
    return sql.first(
        "findSchedule(" + id + ")",
        "select "
            + COLUMNS
            + " from run_schedules where "
            + scope.condition("team_id")
            + " and id = ?",
        ScheduleRow.class,
        ApiTokenRepository.concat(scope.params(), id));
  }

  public boolean delete(TeamScope scope, String id) {
    return sql.update(
            "deleteSchedule(" + id + ")",
            "delete from run_schedules where " + scope.condition("team_id") + " and id = ?",
            ApiTokenRepository.concat(scope.params(), id))
        == 1;
  }

  /**
   * Claims tick {@code tickAt} and runs {@code launch} in the same transaction: only the caller
   * that moves {@code last_tick_at} forward launches, and a failed launch gives the tick back.
   *
   * @return the launch's result, or empty when another replica (or an earlier call) had the tick
   */
  public <T> Optional<T> claimTick(String scheduleId, Instant tickAt, Supplier<T> launch) {
    return sql.inTransaction(
        "claimTick(" + scheduleId + ")",
        () -> {
          int claimed =
              sql.update(
                  "claimTick(" + scheduleId + ")",
                  "update run_schedules set last_tick_at = ? where id = ? and enabled"
                      + " and (last_tick_at is null or last_tick_at < ?)",
                  tickAt,
                  scheduleId,
                  tickAt);
          return claimed == 1 ? Optional.ofNullable(launch.get()) : Optional.<T>empty();
        });
  }
}
