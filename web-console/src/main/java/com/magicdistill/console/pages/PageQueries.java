package com.magicdistill.console.pages;

import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.db.TeamScope;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads only the pages need (the run repositories cover the rest): metric catalogue and downsampled
 * series, the event feed, latest steps, exported models by team, one artifact of a run, and the
 * webhook delivery log. Callers check the run's team first ({@code RunQueries.find}).
 */
@Component
public class PageQueries {
  private final JdbcClient jdbc;

  public PageQueries(ConsoleBackends backends) {
    this.jdbc = JdbcClient.create(backends.dataSource());
  }

  /** One series of a run: stage, name, how many points and the step range. */
  public record SeriesInfo(String stage, String name, long points, long firstStep, long lastStep) {}

  public List<SeriesInfo> series(String runId) {
    return jdbc.sql(
            "select stage, name, count(*) as points, min(step) as first_step, max(step) as"
                + " last_step from metrics where run_id = ? group by stage, name order by"
                + " min(recorded_at), stage, name")
        .param(runId)
        .query(SeriesInfo.class)
        .list();
  }

  /** A bucket of a downsampled series: its first step, mean, min and max. */
  public record Bucket(long step, double mean, double min, double max) {}

  /**
   * At most {@code maxPoints} buckets of equal step width over the series (all points when there
   * are fewer): long runs stay cheap to draw.
   */
  public List<Bucket> downsampled(String runId, String stage, String name, int maxPoints) {
    Long[] range =
        jdbc.sql(
                "select min(step), max(step) from metrics where run_id = ? and stage = ? and name ="
                    + " ?")
            .params(runId, stage, name)
            .query((rs, i) -> new Long[] {(Long) rs.getObject(1), (Long) rs.getObject(2)})
            .single();
    if (range[0] == null) {
      return List.of();
    }
    long width = Math.max(1, (range[1] - range[0] + maxPoints) / maxPoints);
    return jdbc.sql(
            "select min(step) as step, avg(value) as mean, min(value) as min, max(value) as max"
                + " from metrics where run_id = ? and stage = ? and name = ? group by (step - ?) / ?"
                + " order by 1")
        .params(runId, stage, name, range[0], width)
        .query(Bucket.class)
        .list();
  }

  /** The newest recorded step of each stage's training series (progress without Temporal). */
  public record LatestStep(String stage, long step, Double loss) {}

  public List<LatestStep> latestSteps(String runId) {
    return jdbc.sql(
            "select distinct on (stage) stage, step, value as loss from metrics where run_id = ?"
                + " and name like '%loss' order by stage, step desc, case name when 'generator.loss' then 0"
                + " when 'teacher.loss' then 1 else 2 end, name")
        .param(runId)
        .query(LatestStep.class)
        .list();
  }

  /** One entry of the event feed. */
  public record Event(long id, String type, String payload, Instant createdAt) {}

  public List<Event> events(String runId, int limit) {
    return jdbc.sql(
            "select id, type, payload::text as payload, created_at from run_events where run_id ="
                + " ? order by id desc limit ?")
        .params(runId, limit)
        .query(Event.class)
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
        .query(Artifact.class)
        .list();
  }

  public Optional<Artifact> artifact(String runId, long id) {
    return jdbc.sql(
            "select id, run_id, stage, kind, object_key, sha256, bytes from artifacts where run_id"
                + " = ? and id = ?")
        .params(runId, id)
        .query(Artifact.class)
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
        .query(WebhookRow.class)
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
        .query(Delivery.class)
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
