package com.magicdistill.console.runs;

import com.magicdistill.db.AttemptCounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the API and the pages show of runs. */
public final class RunViews {
  private RunViews() {}

  /** A run with its spec, stages, attempt counts and live progress. */
  public record RunDetail(
      String id,
      String name,
      String preset,
      String status,
      String teamId,
      String createdBy,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String error,
      String reusedFromRun,
      String reuseFromStage,
      String codeVersion,
      Map<String, Object> spec,
      List<StageView> stages,
      AttemptCounts attempts,
      Live live) {}

  /** One stage of a run. */
  public record StageView(
      String stage,
      int ordinal,
      String status,
      String cacheKey,
      Long totalSteps,
      Instant startedAt,
      Instant finishedAt) {}

  /**
   * The running stage as the workflow service last heard of it (no workflow query).
   *
   * @param heartbeatAgeSeconds seconds since the last heartbeat, or null before the first
   * @param note why nothing moves, e.g. "queue gpu has no workers", or null
   */
  public record Live(
      String stage,
      Long step,
      Long totalSteps,
      Double loss,
      Double etaSeconds,
      Integer attempt,
      String worker,
      Instant lastHeartbeatAt,
      Long heartbeatAgeSeconds,
      String queue,
      Integer queuePollers,
      String note) {}

  /** A list page: the items and the cursor of the next page (null on the last). */
  public record RunPage(List<com.magicdistill.db.RunQueries.RunSummary> items, String nextCursor) {}

  /** The answer of a dry run. */
  public record Validation(
      boolean valid,
      List<com.magicdistill.console.api.FieldError> problems,
      Map<String, Object> resolvedSpec) {}
}
