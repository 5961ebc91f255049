package com.magicdistill.console.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.db.WebhookRepository.DueDelivery;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON a webhook receives: {@code {type, timestamp, data: {runId, team, event, links}}}. */
final class WebhookPayload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookPayload() {}

  static String body(DueDelivery d) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("runId", d.runId());
    data.put("team", d.teamId());
    try {
      data.put("event", JSON.readValue(d.payloadJson(), Map.class));
    } catch (JsonProcessingException e) {
      data.put("event", Map.of());
    }
    data.put("links", Map.of("run", "/api/v1/runs/" + d.runId()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", d.eventType());
    body.put("timestamp", d.eventAt().toString());
    body.put("data", data);
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
