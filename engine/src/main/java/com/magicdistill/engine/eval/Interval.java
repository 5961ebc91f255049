package com.magicdistill.engine.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A figure with its 95% bootstrap interval.
 *
 * @param value the point estimate on all clips
 * @param lo 2.5th percentile of the bootstrap replicates
 * @param hi 97.5th percentile of the bootstrap replicates
 */
public record Interval(double value, double lo, double hi) {
  /** {@code {"value", "lo", "hi"}} for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("value", value);
    m.put("lo", lo);
    m.put("hi", hi);
    return m;
  }

  public double width() {
    return hi - lo;
  }
}
