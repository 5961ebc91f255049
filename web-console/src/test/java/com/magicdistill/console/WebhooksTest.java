package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import com.magicdistill.console.webhooks.WebhookDispatcher;
import com.magicdistill.console.webhooks.WebhookSigner;
import com.magicdistill.workflows.RunStatus;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * A run that succeeds notifies the team's webhook from the outbox: signed, retried while the
 * receiver fails (500, 500, then 200) under one delivery id, and redeliverable.
 */
class WebhooksTest extends ConsoleTest {
  @Autowired WebhookDispatcher dispatcher;

  record Received(String id, String timestamp, String signature, String body) {}

  @Test
  void aFailingReceiverIsRetriedUntilItAcceptsAndTheSignatureVerifies() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    AtomicInteger answers = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          received.add(
              new Received(
                  ex.getRequestHeaders().getFirst("webhook-id"),
                  ex.getRequestHeaders().getFirst("webhook-timestamp"),
                  ex.getRequestHeaders().getFirst("webhook-signature"),
                  new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          ex.sendResponseHeaders(answers.incrementAndGet() <= 2 ? 500 : 200, -1);
          ex.close();
        });
    receiver.start();
    try {
      String token = token(team("hooks"));
      String created =
          mvc.perform(
                  post("/api/v1/webhooks")
                      .header("Authorization", bearer(token))
                      .contentType(MediaType.APPLICATION_JSON)
                      .content(
                          "{\"url\":\"http://127.0.0.1:"
                              + receiver.getAddress().getPort()
                              + "/hook\",\"events\":[\"run.succeeded\"]}"))
              .andReturn()
              .getResponse()
              .getContentAsString();
      String secret = JsonPath.read(created, "$.secret");
      String webhookId = JsonPath.read(created, "$.webhook.id");
      assertThat(secret).startsWith("whsec_");
      String runId =
          JsonPath.read(
              mvc.perform(
                      post("/api/v1/runs")
                          .header("Authorization", bearer(token))
                          .contentType(MediaType.APPLICATION_JSON)
                          .content("{\"preset\":\"smoke\"}"))
                  .andReturn()
                  .getResponse()
                  .getContentAsString(),
              "$.id");
      repositories.pipeline().runs().updateRunStatus(runId, RunStatus.RUNNING, null);
      repositories.pipeline().runs().updateRunStatus(runId, RunStatus.SUCCEEDED, null);

      for (int i = 0; i < 20 && received.size() < 3; i++) {
        dispatcher.dispatchDue();
      }
      assertThat(received).hasSize(3);
      assertThat(received.stream().map(Received::id).distinct()).hasSize(1);
      Received last = received.get(2);
      assertThat(last.body()).contains("\"type\":\"run.succeeded\"", runId);
      assertThat(
              WebhookSigner.verify(
                  secret,
                  last.id(),
                  Long.parseLong(last.timestamp()),
                  last.body(),
                  last.signature(),
                  Instant.now().getEpochSecond()))
          .isTrue();
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String expected =
          "v1,"
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      mac.doFinal(
                          (last.id() + "." + last.timestamp() + "." + last.body())
                              .getBytes(StandardCharsets.UTF_8)));
      assertThat(last.signature()).isEqualTo(expected);
      assertThat(
              WebhookSigner.verify(
                  "whsec_wrong",
                  last.id(),
                  Long.parseLong(last.timestamp()),
                  last.body(),
                  last.signature(),
                  Instant.now().getEpochSecond()))
          .isFalse();
      String log =
          mvc.perform(
                  get("/api/v1/webhooks/" + webhookId + "/deliveries")
                      .header("Authorization", bearer(token)))
              .andReturn()
              .getResponse()
              .getContentAsString();
      assertThat(JsonPath.<String>read(log, "$[0].status")).isEqualTo("succeeded");
      assertThat(JsonPath.<Integer>read(log, "$[0].attempts")).isEqualTo(3);

      mvc.perform(
              post("/api/v1/webhooks/" + webhookId + "/deliveries/" + last.id() + "/redeliver")
                  .header("Authorization", bearer(token)))
          .andReturn();
      dispatcher.dispatchDue();
      assertThat(received).hasSize(4);
      assertThat(received.get(3).id()).isEqualTo(last.id());

      // another team sees nothing of it
      String other = token(team("nosy"));
      assertThat(
              mvc.perform(
                      get("/api/v1/webhooks/" + webhookId + "/deliveries")
                          .header("Authorization", bearer(other)))
                  .andReturn()
                  .getResponse()
                  .getStatus())
          .isEqualTo(404);
    } finally {
      receiver.stop(0);
    }
  }
}
