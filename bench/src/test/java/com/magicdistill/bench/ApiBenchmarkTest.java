package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiBenchmarkTest {
  private static Map<String, Object> endpoint(
      String request, boolean read, double p99, int errors) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("request", request);
    e.put("read", read);
    e.put("requests", 12000);
    e.put("errors", errors);
    e.put("p50_ms", 2.5);
    e.put("p99_ms", p99);
    e.put("max_ms", p99 + 10);
    e.put("achieved_per_s", 199.9);
    e.put("errors_by_kind", errors == 0 ? Map.of() : Map.of("timeout", errors));
    return e;
  }

  private static Map<String, Object> sample(double readP99, double validateP99, int errors) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("command", "./magic bench api");
    j.put("runs", 10000);
    j.put("seed_s", 20.0);
    j.put("rate_per_s", 200.0);
    j.put("seconds_per_endpoint", 60.0);
    j.put("warmup_seconds", 10.0);
    j.put("console", "child JVM");
    j.put("cores", 2);
    j.put("load_average_at_start", 3.0);
    j.put("load_average_at_end", 4.0);
    j.put("wall_s", 400.0);
    Map<String, Object> endpoints = new LinkedHashMap<>();
    endpoints.put("list_first_page", endpoint("GET /api/v1/runs", true, readP99, errors));
    endpoints.put("validate", endpoint("POST /api/v1/runs/validate", false, validateP99, 0));
    j.put("endpoints", endpoints);
    j.put("rss_mb_before", 400.0);
    j.put("rss_mb_after", 420.0);
    j.put("rss_mb_after_each_endpoint", List.of(410.0, 420.0));
    j.put("rss_of", "the console JVM");
    j.put("targets", ApiBenchmark.targets(j));
    return j;
  }

  @Test
  @SuppressWarnings("unchecked")
  void readsAloneCountForTheLatencyTargetAndAnyErrorMissesIt() {
    var met =
        (Map<String, Map<String, Object>>) (Map<?, ?>) ApiBenchmark.targets(sample(19.9, 500, 0));
    assertEquals(true, met.get("read_p99_ms").get("met"));
    assertEquals(true, met.get("errors").get("met"));
    assertEquals(true, met.get("rss_growth_pct").get("met"));
    var missed =
        (Map<String, Map<String, Object>>) (Map<?, ?>) ApiBenchmark.targets(sample(20, 5, 1));
    assertEquals(false, missed.get("read_p99_ms").get("met"));
    assertEquals(false, missed.get("errors").get("met"));
  }

  @Test
  void theTableShowsEveryEndpointTheLoadAndEachTarget() {
    String md = ApiBenchmark.markdown(sample(30, 5, 2));
    for (String s :
        List.of(
            "| GET /api/v1/runs | 12000 | 2 | 2.50 | 30.00 | 40.0 | 199.9 |",
            "|  - errors by kind: {timeout=2} |",
            "load average 3.00 at start, 4.00 at end",
            "400 MB before the load, 420 MB after",
            "- p99 of every read < 20 ms: **not met** (30.00)",
            "- zero errors: **not met** (2.00)")) {
      assertTrue(md.contains(s), s + "\n---\n" + md);
    }
  }

  @Test
  void percentilesAreNearestRank() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = i + 1;
    }
    assertEquals(50, LatencySummary.percentile(v, 50));
    assertEquals(99, LatencySummary.percentile(v, 99));
    assertEquals(7, LatencySummary.percentile(new long[] {7}, 99));
    assertEquals(0, LatencySummary.percentile(new long[0], 99));
  }
}
