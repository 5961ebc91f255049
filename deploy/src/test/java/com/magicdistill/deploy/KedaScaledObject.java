package com.magicdistill.deploy;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structure of a KEDA {@code keda.sh/v1alpha1 ScaledObject} (KEDA >= 2.17 CRD: field names, types,
 * required fields) and of its trigger metadata (the keys the temporal and prometheus scalers read;
 * KEDA ignores an unknown key silently, so a typo would just never scale).
 */
final class KedaScaledObject {
  private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> SPEC =
      Set.of(
          "scaleTargetRef",
          "pollingInterval",
          "cooldownPeriod",
          "initialCooldownPeriod",
          "idleReplicaCount",
          "minReplicaCount",
          "maxReplicaCount",
          "fallback",
          "advanced",
          "triggers");
  private static final Set<String> SPEC_INTS =
      Set.of(
          "pollingInterval",
          "cooldownPeriod",
          "initialCooldownPeriod",
          "idleReplicaCount",
          "minReplicaCount",
          "maxReplicaCount");
  private static final Set<String> TARGET_REF =
      Set.of("apiVersion", "kind", "name", "envSourceContainerName");
  private static final Set<String> ADVANCED =
      Set.of("horizontalPodAutoscalerConfig", "restoreToOriginalReplicaCount", "scalingModifiers");
  private static final Set<String> HPA_CONFIG = Set.of("name", "behavior");
  private static final Set<String> TRIGGER =
      Set.of("type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics");
  private static final Set<String> AUTH_REF = Set.of("name", "kind");
  private static final Map<String, Set<String>> SCALER_KEYS =
      Map.of(
          "temporal",
          Set.of(
              "endpoint",
              "namespace",
              "activationTargetQueueSize",
              "targetQueueSize",
              "taskQueue",
              "queueTypes",
              "workerDeploymentName",
              "workerDeploymentBuildId",
              "includeRunningWorkflowCount",
              "workflowTaskQueueForCount",
              "minConnectTimeout",
              "enableTLS",
              "unsafeSsl",
              "tlsServerName"),
          "prometheus",
          Set.of(
              "serverAddress",
              "query",
              "queryParameters",
              "threshold",
              "activationThreshold",
              "namespace",
              "customHeaders",
              "ignoreNullValues",
              "unsafeSsl",
              "awsRegion",
              "timeout",
              "identityOwner"));
  private static final Map<String, Set<String>> SCALER_REQUIRED =
      Map.of(
          "temporal", Set.of("endpoint", "taskQueue"),
          "prometheus", Set.of("serverAddress", "query", "threshold"));

  private KedaScaledObject() {}

  /** Every structural error of {@code so}; empty when it is a valid ScaledObject. */
  static List<String> errors(Map<String, Object> so, KubeStrict kube) {
    String name = Yaml.str(so, "metadata", "name");
    List<String> errs = new ArrayList<>();
    unknown(so, TOP, name, errs);
    if (!"keda.sh/v1alpha1".equals(so.get("apiVersion"))) {
      errs.add(name + ": apiVersion " + so.get("apiVersion"));
    }
    if (Yaml.str(so, "metadata", "name") == null) {
      errs.add("ScaledObject without metadata.name");
    }
    Map<String, Object> spec = Yaml.map(so, "spec");
    unknown(spec, SPEC, name + ".spec", errs);
    for (String f : SPEC_INTS) {
      if (spec.containsKey(f) && !(spec.get(f) instanceof Integer)) {
        errs.add(name + ".spec." + f + " is not an integer: " + spec.get(f));
      }
    }
    Map<String, Object> ref = Yaml.map(spec, "scaleTargetRef");
    unknown(ref, TARGET_REF, name + ".spec.scaleTargetRef", errs);
    if (ref.get("name") == null) {
      errs.add(name + ".spec.scaleTargetRef.name is required");
    }
    Map<String, Object> advanced = Yaml.map(spec, "advanced");
    unknown(advanced, ADVANCED, name + ".spec.advanced", errs);
    Map<String, Object> hpa = Yaml.map(advanced, "horizontalPodAutoscalerConfig");
    unknown(hpa, HPA_CONFIG, name + ".spec.advanced.horizontalPodAutoscalerConfig", errs);
    if (hpa.containsKey("behavior")) {
      try {
        kube.parse(hpa.get("behavior"), HorizontalPodAutoscalerBehavior.class, name + " behavior");
      } catch (AssertionError e) {
        errs.add(e.getMessage());
      }
    }
    List<Map<String, Object>> triggers = Yaml.maps(spec, "triggers");
    if (triggers.isEmpty()) {
      errs.add(name + ".spec.triggers is required");
    }
    for (Map<String, Object> t : triggers) {
      String type = Yaml.str(t, "type");
      String where = name + " trigger " + type;
      unknown(t, TRIGGER, where, errs);
      unknown(Yaml.map(t, "authenticationRef"), AUTH_REF, where + ".authenticationRef", errs);
      if (!(t.get("metadata") instanceof Map<?, ?> meta)) {
        errs.add(where + ": metadata is required");
        continue;
      }
      meta.forEach(
          (k, v) -> {
            if (!(v instanceof String)) {
              errs.add(where + ".metadata." + k + " must be a string, got " + v);
            }
          });
      Set<String> keys = SCALER_KEYS.get(type);
      if (keys == null) {
        errs.add(where + ": scaler type not checked by this test");
        continue;
      }
      unknown(Yaml.map(t, "metadata"), keys, where + ".metadata", errs);
      for (String required : SCALER_REQUIRED.get(type)) {
        if (!meta.containsKey(required)) {
          errs.add(where + ".metadata." + required + " is required");
        }
      }
    }
    return errs;
  }

  private static void unknown(
      Map<String, Object> node, Set<String> known, String where, List<String> errs) {
    for (String k : node.keySet()) {
      if (!known.contains(k)) {
        errs.add(where + ": unknown field " + k);
      }
    }
  }
}
