package com.magicdistill.activities;

import com.magicdistill.db.MetricPoint;
import com.magicdistill.db.Repositories;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stage's time series (loss, grad norm, ...) on their way to PostgreSQL: buffered, and written
 * when {@code batch} points are waiting or {@code every} has passed since the last write, so a step
 * costs no round trip while the console still sees the series within about {@code every}.
 */
final class MetricBuffer {
  private final Repositories repositories;
  private final String runId;
  private final String stage;
  private final int batch;
  private final long everyNanos;
  private final List<MetricPoint> pending = new ArrayList<>();
  private long lastFlushNanos;

  MetricBuffer(Repositories repositories, String runId, String stage, int batch, Duration every) {
    this.repositories = repositories;
    this.runId = runId;
    this.stage = stage;
    this.batch = batch;
    this.everyNanos = every.toNanos();
    this.lastFlushNanos = System.nanoTime() - everyNanos; // the first point goes out at once
  }

  /** Adds {@code values} (name to value) at {@code step}; writes if a batch or interval is due. */
  synchronized void add(long step, Map<String, Double> values) {
    values.forEach((k, v) -> pending.add(new MetricPoint(k, step, v)));
    if (pending.size() >= batch || System.nanoTime() - lastFlushNanos >= everyNanos) {
      flush();
    }
  }

  /** Writes what is buffered. */
  synchronized void flush() {
    lastFlushNanos = System.nanoTime();
    if (!pending.isEmpty()) {
      repositories.metrics().recordMetrics(runId, stage, List.copyOf(pending));
      pending.clear();
    }
  }
}
