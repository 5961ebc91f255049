package com.magicdistill.engine.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of several methods measured with one feature extractor (scores are only comparable under
 * the same {@code featureExtractor} id).
 *
 * @param featureExtractor {@link FeatureExtractor#id()}
 * @param methods method name to its metrics, in insertion order
 */
public record EvalReport(String featureExtractor, Map<String, MethodMetrics> methods) {
  public EvalReport {
    methods = new LinkedHashMap<>(methods);
  }

  /** {@code {"feature_extractor": id, "methods": {name: MethodMetrics.toMap()}}}. */
  public Map<String, Object> toMap() {
    Map<String, Object> byMethod = new LinkedHashMap<>();
    methods.forEach((name, metrics) -> byMethod.put(name, metrics.toMap()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature_extractor", featureExtractor);
    m.put("methods", byMethod);
    return m;
  }
}
