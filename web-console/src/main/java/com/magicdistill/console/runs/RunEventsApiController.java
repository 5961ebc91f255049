package com.magicdistill.console.runs;

import com.magicdistill.console.auth.ApiCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /api/v1/runs/{id}/events}: the run's events as server-sent events. */
@RestController
@Tag(name = "Runs")
public class RunEventsApiController {
  private final RunEventHub hub;

  public RunEventsApiController(RunEventHub hub) {
    this.hub = hub;
  }

  @GetMapping(path = "/api/v1/runs/{runId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      operationId = "streamRunEvents",
      summary =
          "Server-sent events: status, stage, attempt (ids replay with Last-Event-ID) and progress")
  public SseEmitter events(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String runId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    long last = 0;
    if (lastEventId != null) {
      try {
        last = Long.parseLong(lastEventId.strip());
      } catch (NumberFormatException e) {
        last = 0;
      }
    }
    return hub.subscribe(caller.scope(), runId, last);
  }
}
