package com.magicdistill.engine.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of several methods measured with one feature extractor (scores are only comparable under
 * the same {@code featureExtractor} id).
 *
 * @param featureExtractor {@link FeatureExtractor#id()}
 * @param methods method name to its metrics, in insertion order
 * @param dynamicDegreeCalibration the threshold behind every {@code dynamic_degree}, or null for
 *     VBench's size-scaled default
 */
public record EvalReport(
    String featureExtractor,
    Map<String, MethodMetrics> methods,
    DynamicDegreeCalibration dynamicDegreeCalibration) {
  public EvalReport {
    methods = new LinkedHashMap<>(methods);
  }

  public EvalReport(String featureExtractor, Map<String, MethodMetrics> methods) {
    this(featureExtractor, methods, null);
  }

  /**
   * {@code {"feature_extractor": id, "dynamic_degree_calibration": {...} (when calibrated),
   * "methods": {name: MethodMetrics.toMap()}}}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> byMethod = new LinkedHashMap<>();
    methods.forEach((name, metrics) -> byMethod.put(name, metrics.toMap()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature_extractor", featureExtractor);
    if (dynamicDegreeCalibration != null) {
      m.put("dynamic_degree_calibration", dynamicDegreeCalibration.toMap());
    }
    m.put("methods", byMethod);
    return m;
  }
}
