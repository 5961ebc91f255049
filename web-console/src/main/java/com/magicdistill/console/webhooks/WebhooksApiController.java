package com.magicdistill.console.webhooks;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.api.FieldError;
import com.magicdistill.console.audit.AuditLog;
import com.magicdistill.console.auth.ApiCaller;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.db.WebhookRepository;
import com.magicdistill.db.WebhookRepository.DeliveryRow;
import com.magicdistill.db.WebhookRepository.WebhookRow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/webhooks}: run notifications to the team's receivers (scope webhooks:manage). */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks")
public class WebhooksApiController {
  static final Set<String> EVENTS =
      Set.of("run.succeeded", "run.failed", "run.cancelled", "run.paused");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookRepository webhooks;
  private final SecretBox secrets;
  private final boolean allowLoopbackHttp;
  private final AuditLog audit;

  public WebhooksApiController(
      ConsoleBackends backends,
      SecretBox secrets,
      AuditLog audit,
      @Value("${console.webhooks.allow-loopback-http:false}") boolean allowLoopbackHttp) {
    this.audit = audit;
    this.webhooks = new WebhookRepository(backends.dataSource());
    this.secrets = secrets;
    this.allowLoopbackHttp = allowLoopbackHttp;
  }

  /** A webhook (never its secret). */
  public record WebhookView(
      String id,
      String url,
      List<String> events,
      String description,
      Instant createdAt,
      Instant disabledAt) {}

  /** A new webhook; {@code secret} (whsec_...) is in this answer only. */
  public record CreatedWebhook(WebhookView webhook, String secret) {}

  /** What to create. */
  public record WebhookRequest(
      @Schema(description = "https URL of the receiver") String url,
      @Schema(description = "run.succeeded, run.failed, run.cancelled, run.paused")
          List<String> events,
      @Schema(description = "a note, at most 200 characters") String description) {}

  @GetMapping
  @Operation(operationId = "listWebhooks", summary = "The team's webhooks")
  public List<WebhookView> list(@AuthenticationPrincipal ApiCaller caller) {
    return webhooks.list(caller.scope()).stream().map(WebhooksApiController::view).toList();
  }

  @PostMapping
  @Operation(
      operationId = "createWebhook",
      summary = "Create a webhook; its signing secret is in this answer only")
  public ResponseEntity<CreatedWebhook> create(
      @AuthenticationPrincipal ApiCaller caller, @RequestBody WebhookRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.url() == null) {
      errors.add(new FieldError("url", null, "give the receiver's https URL"));
    } else {
      WebhookUrls.problem(request.url(), allowLoopbackHttp)
          .ifPresent(p -> errors.add(new FieldError("url", null, p)));
    }
    if (request.events() == null
        || request.events().isEmpty()
        || !EVENTS.containsAll(request.events())) {
      errors.add(new FieldError("events", null, "use a non-empty list of " + EVENTS));
    }
    if (request.description() != null && request.description().length() > 200) {
      errors.add(new FieldError("description", null, "use at most 200 characters"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(raw);
    SecretBox.Sealed sealed = secrets.seal(secret);
    String id = "wh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    WebhookRow row =
        webhooks.create(
            id,
            caller.teamId(),
            request.url(),
            List.copyOf(new java.util.TreeSet<>(request.events())),
            sealed.ciphertext(),
            sealed.nonce(),
            request.description());
    audit.other(caller.teamId(), "webhook.create", "webhook:" + id);
    return ResponseEntity.created(URI.create("/api/v1/webhooks/" + id))
        .body(new CreatedWebhook(view(row), secret));
  }

  @GetMapping("/{webhookId}")
  @Operation(operationId = "getWebhook", summary = "One webhook")
  public WebhookView get(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String webhookId) {
    return view(find(caller, webhookId));
  }

  @DeleteMapping("/{webhookId}")
  @Operation(operationId = "deleteWebhook", summary = "Delete a webhook and its delivery log (204)")
  public ResponseEntity<Void> delete(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String webhookId) {
    find(caller, webhookId);
    webhooks.delete(caller.scope(), webhookId);
    audit.other(caller.teamId(), "webhook.delete", "webhook:" + webhookId);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{webhookId}/deliveries")
  @Operation(operationId = "listDeliveries", summary = "The webhook's newest 100 deliveries")
  public List<DeliveryRow> deliveries(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String webhookId) {
    find(caller, webhookId);
    return webhooks.deliveries(webhookId, 100);
  }

  @PostMapping("/{webhookId}/deliveries/{deliveryId}/redeliver")
  @Operation(operationId = "redeliver", summary = "Send a delivery again now (202)")
  public ResponseEntity<Void> redeliver(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String webhookId,
      @PathVariable UUID deliveryId) {
    find(caller, webhookId);
    if (!webhooks.redeliver(webhookId, deliveryId)) {
      throw ApiException.notFound("delivery " + deliveryId);
    }
    return ResponseEntity.accepted().build();
  }

  private WebhookRow find(ApiCaller caller, String id) {
    if (id == null || !id.matches("wh_[0-9a-f]{16}")) {
      throw ApiException.notFound("webhook");
    }
    return webhooks
        .find(caller.scope(), id)
        .orElseThrow(() -> ApiException.notFound("webhook " + id));
  }

  static WebhookView view(WebhookRow w) {
    return new WebhookView(
        w.id(), w.url(), w.events(), w.description(), w.createdAt(), w.disabledAt());
  }
}
