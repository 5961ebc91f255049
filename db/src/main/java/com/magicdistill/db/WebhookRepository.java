package com.magicdistill.db;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Webhooks and their deliveries (the outbox). Deliveries are queued by the {@code runs} status
 * trigger (V4); a dispatcher claims due ones with {@code for update skip locked}, so two console
 * replicas never send the same attempt twice.
 */
public final class WebhookRepository {
  /** A webhook; the secret is stored encrypted (AES-GCM) by the caller. */
  public record WebhookRow(
      String id,
      String teamId,
      String url,
      List<String> events,
      byte[] secretCiphertext,
      byte[] secretNonce,
      String description,
      Instant createdAt,
      Instant disabledAt) {}

  private record RawWebhook(
      String id,
      String teamId,
      String url,
      String events,
      byte[] secretCiphertext,
      byte[] secretNonce,
      String description,
      Instant createdAt,
      Instant disabledAt) {
    WebhookRow row() {
      return new WebhookRow(
          id,
          teamId,
          url,
          events.isEmpty() ? List.of() : Arrays.asList(events.split(",")),
          secretCiphertext,
          secretNonce,
          description,
          createdAt,
          disabledAt);
    }
  }

  /** One delivery of one event to one webhook, with its attempts so far. */
  public record DeliveryRow(
      UUID id,
      String webhookId,
      long eventId,
      String eventType,
      String status,
      int attempts,
      Instant nextAttemptAt,
      Integer lastStatusCode,
      String lastError,
      Instant createdAt,
      Instant deliveredAt) {}

  /** A claimed delivery with what is needed to send it. */
  public record DueDelivery(
      UUID id,
      String webhookId,
      String url,
      byte[] secretCiphertext,
      byte[] secretNonce,
      String eventType,
      long eventId,
      String runId,
      String teamId,
      String payloadJson,
      Instant eventAt,
      int attempts) {}

  private static final String WEBHOOK_COLUMNS =
      "id, team_id, url, array_to_string(events, ',') as events, secret_ciphertext, secret_nonce,"
          + " description, created_at, disabled_at";
  private static final String DELIVERY_COLUMNS =
      "id, webhook_id, event_id, event_type, status, attempts, next_attempt_at, last_status_code,"
          + " last_error, created_at, delivered_at";

  private final Sql sql;

  public WebhookRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  public WebhookRow create(
      String id,
      String teamId,
      String url,
      List<String> events,
      byte[] ciphertext,
      byte[] nonce,
      String description) {
    sql.update(
        "createWebhook(" + id + ")",
        "insert into webhooks (id, team_id, url, events, secret_ciphertext, secret_nonce,"
            + " description) values (?, ?, ?, string_to_array(?, ','), ?, ?, ?)",
        id,
        teamId,
        url,
        String.join(",", events),
        ciphertext,
        nonce,
        description);
    return find(TeamScope.team(teamId), id).orElseThrow();
  }

  public List<WebhookRow> list(TeamScope scope) {
    return sql
        .list(
            "listWebhooks",
            "select "
                + WEBHOOK_COLUMNS
                + " from webhooks where "
                + scope.condition("team_id")
                + " order by created_at desc, id",
            RawWebhook.class,
            scope.params())
        .stream()
        .map(RawWebhook::row)
        .toList();
  }

  public Optional<WebhookRow> find(TeamScope scope, String id) {
    return sql.first(
            "findWebhook(" + id + ")",
            "select "
                + WEBHOOK_COLUMNS
                + " from webhooks where "
                + scope.condition("team_id")
                + " and id = ?",
            RawWebhook.class,
            ApiTokenRepository.concat(scope.params(), id))
        .map(RawWebhook::row);
  }

  public boolean delete(TeamScope scope, String id) {
    return sql.update(
            "deleteWebhook(" + id + ")",
            "delete from webhooks where " + scope.condition("team_id") + " and id = ?",
            ApiTokenRepository.concat(scope.params(), id))
        == 1;
  }

  public List<DeliveryRow> deliveries(String webhookId, int limit) {
    return sql.list(
        "deliveries(" + webhookId + ")",
        "select "
            + DELIVERY_COLUMNS
            + " from webhook_deliveries where webhook_id = ? order by created_at desc, id limit ?",
        DeliveryRow.class,
        webhookId,
        limit);
  }

  /** Queues a delivery again (a new attempt now); false if it is not the webhook's. */
  public boolean redeliver(String webhookId, UUID deliveryId) {
    return sql.update(
            "redeliver(" + deliveryId + ")",
            "update webhook_deliveries set status = 'pending', next_attempt_at = now()"
                + " where webhook_id = ? and id = ?",
            webhookId,
            deliveryId)
        == 1;
  }

  /**
   * Claims up to {@code limit} due deliveries: each is leased for {@code leaseSeconds} (its next
   * attempt moves that far ahead), so another dispatcher skips it while this one sends.
   */
  public List<DueDelivery> claimDue(int limit, int leaseSeconds) {
    return sql.list(
        "claimDeliveries",
        "with due as (select id from webhook_deliveries where status = 'pending'"
            + " and next_attempt_at <= now() order by next_attempt_at limit ? for update skip locked),"
            + " leased as (update webhook_deliveries d set next_attempt_at = now()"
            + " + make_interval(secs => ?) from due where d.id = due.id returning d.*)"
            + " select l.id, l.webhook_id, w.url, w.secret_ciphertext, w.secret_nonce, l.event_type,"
            + " l.event_id, e.run_id, e.team_id, e.payload::text as payload_json,"
            + " e.created_at as event_at, l.attempts"
            + " from leased l join webhooks w on w.id = l.webhook_id"
            + " join run_events e on e.id = l.event_id",
        DueDelivery.class,
        limit,
        (double) leaseSeconds);
  }

  /** Records an attempt: succeeded, retry at {@code next}, dead, or disabled (410). */
  public void recordAttempt(
      UUID id, String status, Integer statusCode, String error, Instant next) {
    sql.update(
        "recordAttempt(" + id + ")",
        "update webhook_deliveries set attempts = attempts + 1, status = ?, last_status_code = ?,"
            + " last_error = ?, next_attempt_at = coalesce(?, next_attempt_at),"
            + " delivered_at = case when ? = 'succeeded' then now() else delivered_at end"
            + " where id = ?",
        status,
        statusCode,
        error,
        next,
        status,
        id);
  }

  /** A receiver answered 410 Gone: no more deliveries to it. */
  public void disable(String webhookId) {
    sql.update(
        "disableWebhook(" + webhookId + ")",
        "update webhooks set disabled_at = coalesce(disabled_at, now()) where id = ?",
        webhookId);
  }
}
