package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MetricRepository} (metric series) against a real PostgreSQL. */
class MetricRepositoryTest extends RepositoryTestBase {

  @Test
  void metricsBatchByStepAndReplayedStepsReplace() {
    repos.runs().createRun(run("r-metrics", null));
    repos
        .metrics()
        .recordMetrics(
            "r-metrics",
            "dmd-lora",
            List.of(
                new MetricPoint("loss", 2, 0.5),
                new MetricPoint("loss", 1, 0.9),
                new MetricPoint("lr", 1, 1e-4),
                new MetricPoint("loss", 3, 0.4)));
    repos
        .metrics()
        .recordMetrics("r-metrics", "dmd-lora", List.of(new MetricPoint("loss", 3, 0.35)));
    repos.metrics().recordMetrics("r-metrics", "dmd-lora", List.of());
    repos.metrics().recordMetrics("r-metrics", "w2s", List.of(new MetricPoint("loss", 1, 7.0)));

    assertEquals(
        List.of(
            new MetricPoint("loss", 1, 0.9),
            new MetricPoint("loss", 2, 0.5),
            new MetricPoint("loss", 3, 0.35)),
        repos.metrics().metrics("r-metrics", "dmd-lora", "loss"));
    assertEquals(
        List.of(new MetricPoint("lr", 1, 1e-4)),
        repos.metrics().metrics("r-metrics", "dmd-lora", "lr"));
    assertEquals(List.of(), repos.metrics().metrics("r-metrics", "dmd-lora", "fvd"));
  }

  @Test
  void metricsRecordedSinceAnAttemptStartedIncludeReplayedSteps() {
    repos.runs().createRun(run("r-since", null));
    repos
        .metrics()
        .recordMetrics(
            "r-since",
            "dmd-lora",
            List.of(new MetricPoint("loss", 1, 0.9), new MetricPoint("loss", 2, 0.8)));
    repos.stages().startAttempt("r-since", "dmd-lora", 2, "worker-2@h", 1, "k1");
    Instant resumed = repos.stages().attempts("r-since", "dmd-lora").get(0).startedAt();
    assertEquals(
        List.of(), repos.metrics().metricsRecordedSince("r-since", "dmd-lora", "loss", resumed));
    repos
        .metrics()
        .recordMetrics(
            "r-since",
            "dmd-lora",
            List.of(new MetricPoint("loss", 2, 0.8), new MetricPoint("loss", 3, 0.7)));
    assertEquals(
        List.of(new MetricPoint("loss", 2, 0.8), new MetricPoint("loss", 3, 0.7)),
        repos.metrics().metricsRecordedSince("r-since", "dmd-lora", "loss", resumed));
  }

  @Test
  void aFailedBatchNamesTheOperationAndWritesNothing() {
    var e =
        assertThrows(
            RepositoryException.class,
            () ->
                repos
                    .metrics()
                    .recordMetrics(
                        "r-ghost-metrics",
                        "w2s",
                        List.of(new MetricPoint("loss", 1, 0.5), new MetricPoint("loss", 2, 0.4))));
    assertTrue(
        e.getMessage().contains("recordMetrics(r-ghost-metrics, w2s, 2 points)"), e.getMessage());
    assertEquals(List.of(), repos.metrics().metrics("r-ghost-metrics", "w2s", "loss"));
  }
}
