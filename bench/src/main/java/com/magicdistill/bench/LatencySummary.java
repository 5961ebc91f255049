package com.magicdistill.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One endpoint's latencies under open-loop load, each from the request's scheduled send time to its
 * complete response (so a stalled server shows as latency, not as fewer requests).
 *
 * @param requests requests scheduled (and sent)
 * @param errors responses that were not 2xx, timeouts and connection failures
 * @param errorsByKind e.g. {@code "429": 3, "timeout": 1}
 */
record LatencySummary(
    int requests,
    int errors,
    double p50Ms,
    double p99Ms,
    double maxMs,
    double meanMs,
    double achievedPerS,
    Map<String, Integer> errorsByKind) {

  /**
   * @param micros latency of every completed request in microseconds (errors included)
   * @param wallS from the first scheduled send to the last response
   */
  static LatencySummary of(long[] micros, int errors, Map<String, Integer> kinds, double wallS) {
    long[] s = micros.clone();
    Arrays.sort(s);
    double mean = s.length == 0 ? 0 : Arrays.stream(s).average().orElse(0) / 1e3;
    return new LatencySummary(
        s.length,
        errors,
        percentile(s, 50) / 1e3,
        percentile(s, 99) / 1e3,
        s.length == 0 ? 0 : s[s.length - 1] / 1e3,
        mean,
        wallS <= 0 ? 0 : s.length / wallS,
        kinds);
  }

  /** Nearest-rank percentile of sorted values; 0 when empty. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", requests);
    m.put("errors", errors);
    m.put("p50_ms", p50Ms);
    m.put("p99_ms", p99Ms);
    m.put("max_ms", maxMs);
    m.put("mean_ms", meanMs);
    m.put("achieved_per_s", achievedPerS);
    m.put("errors_by_kind", errorsByKind);
    return m;
  }
}
