package com.magicdistill.console.pages;

import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.db.MetricSeries;
import com.magicdistill.db.RecordRowMapper;
import com.magicdistill.db.TeamScope;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads only the pages need (the run repositories cover the rest): the event feed, the artifacts of
 * a run, and the webhook delivery log; metrics through {@link #metrics()} (their SQL lives in the
 * db module, shared with the API). Callers check the run's team first ({@code RunQueries.find}).
 */
@Component
public class PageQueries {
  private final JdbcClient jdbc;
  private final MetricSeries metrics;

  public PageQueries(ConsoleBackends backends) {
    this.jdbc = JdbcClient.create(backends.dataSource());
    this.metrics = new MetricSeries(backends.dataSource());
  }

  /** Metric catalogue, downsampled series and latest steps. */
  public MetricSeries metrics() {
    return metrics;
  }

  /** One entry of the event feed. */
  public record Event(long id, String type, String payload, Instant createdAt) {}

  public List<Event> events(String runId, int limit) {
    return jdbc.sql(
            "select id, type, payload::text as payload, created_at from run_events where run_id ="
                + " ? order by id desc limit ?")
        .params(runId, limit)
        .query(RecordRowMapper.of(Event.class))
        .list();
  }

  /** An artifact row of {@code runId} (the run's team already checked). */
  public record Artifact(
      long id,
      String runId,
      String stage,
      String kind,
      String objectKey,
      String sha256,
      long bytes) {}

  public List<Artifact> artifacts(String runId) {
    return jdbc.sql(
            "select id, run_id, stage, kind, object_key, sha256, bytes from artifacts where run_id"
                + " = ? order by id")
        .param(runId)
        .query(RecordRowMapper.of(Artifact.class))
        .list();
  }

  public Optional<Artifact> artifact(String runId, long id) {
    return jdbc.sql(
            "select id, run_id, stage, kind, object_key, sha256, bytes from artifacts where run_id"
                + " = ? and id = ?")
        .params(runId, id)
        .query(RecordRowMapper.of(Artifact.class))
        .optional();
  }

  /** A webhook of the team and its delivery counts. */
  public record WebhookRow(
      String id,
      String url,
      String events,
      String description,
      Instant createdAt,
      Instant disabledAt) {}

  public List<WebhookRow> webhooks(TeamScope scope) {
    List<Object> params = new ArrayList<>();
    String where = scope.allTeams() ? "true" : "team_id = ?";
    if (!scope.allTeams()) {
      params.add(scope.teamId());
    }
    return jdbc.sql(
            "select id, url, array_to_string(events, ', ') as events, description, created_at,"
                + " disabled_at from webhooks where "
                + where
                + " order by created_at desc")
        .params(params)
        .query(RecordRowMapper.of(WebhookRow.class))
        .list();
  }

  /** One delivery attempt record of a webhook. */
  public record Delivery(
      String id,
      String webhookId,
      String eventType,
      String status,
      int attempts,
      Integer lastStatusCode,
      String lastError,
      Instant createdAt,
      Instant deliveredAt) {}

  public List<Delivery> deliveries(TeamScope scope, int limit) {
    List<Object> params = new ArrayList<>();
    String where = scope.allTeams() ? "true" : "w.team_id = ?";
    if (!scope.allTeams()) {
      params.add(scope.teamId());
    }
    params.add(limit);
    return jdbc.sql(
            "select d.id::text as id, d.webhook_id, d.event_type, d.status, d.attempts,"
                + " d.last_status_code, d.last_error, d.created_at, d.delivered_at from"
                + " webhook_deliveries d join webhooks w on w.id = d.webhook_id where "
                + where
                + " order by d.created_at desc limit ?")
        .params(params)
        .query(RecordRowMapper.of(Delivery.class))
        .list();
  }

  private static String teamCondition(TeamScope scope, List<Object> params) {
    if (scope.allTeams()) {
      return "true";
    }
    params.add(scope.teamId());
    return "r.team_id = ?";
  }

  static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
