package com.magicdistill.db;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** The {@code run_events} feed (written by triggers, V4): status, stage and attempt changes. */
public final class RunEvents {
  /** One event; {@code payloadJson} is a JSON object. */
  public record RunEvent(
      long id, String runId, String type, String payloadJson, Instant createdAt) {}

  private final Sql sql;

  public RunEvents(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /** Events of a run after {@code afterId} (0 for all), oldest first. */
  public List<RunEvent> after(String runId, long afterId, int limit) {
    return sql.list(
        "runEvents(" + runId + ")",
        "select id, run_id, type, payload::text as payload_json, created_at from run_events"
            + " where run_id = ? and id > ? order by id limit ?",
        RunEvent.class,
        runId,
        afterId,
        limit);
  }
}
