package com.magicdistill.console.platform;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import com.magicdistill.workflows.PipelineClient.LiveHeartbeat;
import com.magicdistill.workflows.PipelineClient.QueuePollers;
import com.magicdistill.workflows.RunSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * Temporal reads shared for a moment. Every run page, live stream and {@code GET /api/v1/runs/{id}}
 * of a running run asks Temporal for the stage's heartbeat (and, while no worker has it, for the
 * queue's pollers); under load that is one DescribeWorkflowExecution per request. Here a heartbeat
 * is read at most once per second per run and a queue's pollers once per 5 s; errors are not kept,
 * and a signal drops the run's heartbeat so the next read is fresh.
 */
public final class CachingRunControl implements RunControl {
  static final Duration HEARTBEAT_TTL = Duration.ofSeconds(1);
  static final Duration POLLERS_TTL = Duration.ofSeconds(5);

  private final RunControl temporal;
  private final LoadingCache<String, Optional<LiveHeartbeat>> heartbeats;
  private final LoadingCache<String, QueuePollers> pollers;

  public CachingRunControl(RunControl temporal) {
    this(temporal, Ticker.systemTicker());
  }

  CachingRunControl(RunControl temporal, Ticker ticker) {
    this.temporal = temporal;
    this.heartbeats =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(HEARTBEAT_TTL)
            .maximumSize(10_000)
            .build(temporal::heartbeat);
    this.pollers =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(POLLERS_TTL)
            .maximumSize(1_000)
            .build(temporal::pollers);
  }

  @Override
  public void start(RunSpec spec) {
    temporal.start(spec);
  }

  @Override
  public void pause(String runId) {
    temporal.pause(runId);
    heartbeats.invalidate(runId);
  }

  @Override
  public void resume(String runId) {
    temporal.resume(runId);
    heartbeats.invalidate(runId);
  }

  @Override
  public void cancel(String runId, String reason) {
    temporal.cancel(runId, reason);
    heartbeats.invalidate(runId);
  }

  @Override
  public Optional<LiveHeartbeat> heartbeat(String runId) {
    return heartbeats.get(runId);
  }

  @Override
  public QueuePollers pollers(String taskQueue) {
    return pollers.get(taskQueue);
  }
}
