package com.magicdistill.console.webhooks;

import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.db.WebhookRepository;
import com.magicdistill.db.WebhookRepository.DueDelivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends due webhook deliveries from the PostgreSQL outbox every 2 s: signed POSTs (10 s timeout, no
 * redirects), 2xx = delivered; otherwise retried after 30 s, 2 min, 10 min, 1 h, 6 h and 24 h (±20
 * %), dead after 8 attempts; 410 Gone disables the webhook. Replicas share the work ({@code for
 * update skip locked} plus a lease).
 */
@Component
public class WebhookDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final int MAX_ATTEMPTS = 8;

  private final WebhookRepository webhooks;
  private final SecretBox secrets;
  private final List<Duration> backoff;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  public WebhookDispatcher(
      ConsoleBackends backends,
      SecretBox secrets,
      @Value("${console.webhooks.backoff-seconds:30,120,600,3600,21600,86400}")
          List<Long> backoff) {
    this.webhooks = new WebhookRepository(backends.dataSource());
    this.secrets = secrets;
    this.backoff = backoff.stream().map(Duration::ofSeconds).toList();
  }

  @Scheduled(fixedDelayString = "${console.webhooks.poll-millis:2000}")
  void poll() {
    try {
      dispatchDue();
    } catch (RuntimeException e) {
      LOG.warn("webhook dispatch failed: {}", e.toString());
    }
  }

  /** Sends every due delivery once; returns how many were attempted. */
  public int dispatchDue() {
    List<DueDelivery> due = webhooks.claimDue(20, 60);
    for (DueDelivery d : due) {
      send(d);
    }
    return due.size();
  }

  private void send(DueDelivery d) {
    long ts = Instant.now().getEpochSecond();
    String body = WebhookPayload.body(d);
    String id = d.id().toString();
    Integer code = null;
    String error = null;
    try {
      String secret = secrets.open(d.secretCiphertext(), d.secretNonce());
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(d.url()))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .header("User-Agent", "MagicDistill-Webhooks/1")
                  .header("webhook-id", id)
                  .header("webhook-timestamp", Long.toString(ts))
                  .header("webhook-signature", WebhookSigner.sign(secret, id, ts, body))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      code = r.statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (Exception e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    int attempt = d.attempts() + 1;
    if (code != null && code >= 200 && code < 300) {
      webhooks.recordAttempt(d.id(), "succeeded", code, null, null);
    } else if (code != null && code == 410) {
      webhooks.recordAttempt(d.id(), "disabled", code, "410 Gone: webhook disabled", null);
      webhooks.disable(d.webhookId());
    } else if (attempt >= MAX_ATTEMPTS) {
      webhooks.recordAttempt(d.id(), "dead", code, error, null);
    } else {
      webhooks.recordAttempt(d.id(), "pending", code, error, Instant.now().plus(delay(attempt)));
    }
    LOG.info(
        "webhook delivery {} ({}) attempt {}: {}",
        id,
        d.eventType(),
        attempt,
        code != null ? code : error);
  }

  Duration delay(int attempt) {
    Duration base = backoff.get(Math.min(attempt, backoff.size()) - 1);
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (base.toMillis() * jitter));
  }
}
