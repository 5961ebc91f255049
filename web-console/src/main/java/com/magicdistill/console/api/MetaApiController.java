package com.magicdistill.console.api;

import com.magicdistill.console.auth.ApiCaller;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.workflows.PipelineClient.QueuePollers;
import com.magicdistill.workflows.TaskQueues;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/me} and {@code /api/v1/queues}. */
@RestController
@Tag(name = "Meta")
public class MetaApiController {
  private final RateLimits limits;
  private final ConsoleBackends backends;

  public MetaApiController(RateLimits limits, ConsoleBackends backends) {
    this.limits = limits;
    this.backends = backends;
  }

  /** Who the token is: its team, id and scopes, and its request budgets. */
  public record Me(String team, String tokenId, List<String> scopes, RateLimits rateLimits) {}

  @GetMapping("/api/v1/me")
  @Operation(operationId = "getMe", summary = "The calling token's team, scopes and rate limits")
  public Me me(@AuthenticationPrincipal ApiCaller caller) {
    return new Me(caller.teamId(), caller.tokenId(), caller.scopes(), limits);
  }

  /** A task queue and how many workers poll it (0: stages on it will not move). */
  public record Queue(String name, Integer pollers, java.time.Instant lastAccess, String error) {}

  @GetMapping("/api/v1/queues")
  @Operation(operationId = "listQueues", summary = "Task queues and the workers polling them")
  public List<Queue> queues() {
    List<Queue> out = new ArrayList<>();
    for (String q : List.of(TaskQueues.PIPELINE, TaskQueues.GPU)) {
      try {
        QueuePollers p = backends.control().pollers(q);
        out.add(new Queue(q, p.pollers(), p.lastAccess(), null));
      } catch (io.grpc.StatusRuntimeException e) {
        out.add(
            new Queue(
                q,
                null,
                null,
                e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED
                    ? "the workflow service does not report pollers (the embedded test server)"
                    : "the workflow service does not answer"));
      } catch (RuntimeException e) {
        out.add(new Queue(q, null, null, "the workflow service does not answer"));
      }
    }
    return out;
  }
}
