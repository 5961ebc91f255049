package com.magicdistill.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a rendered object into fabric8's typed Kubernetes model the way the API server would read
 * it: a wrong type fails (no "1" for an integer), and a field the schema does not know (fabric8
 * keeps it in additionalProperties; the API server would drop or reject it) is an error.
 */
final class KubeStrict {
  private final KubernetesSerialization serialization;
  private final ObjectMapper json = new ObjectMapper();
  private final ObjectMapper strict = new ObjectMapper();

  KubeStrict() {
    // fabric8's own mapper is lenient (its unmatched-field module coerces "2" into 2), so its
    // registry only names the model class and a plain Jackson mapper that coerces nothing reads it.
    serialization = new KubernetesSerialization();
    strict.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      strict.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
  }

  /** The typed object; throws AssertionError naming every unknown field. */
  HasMetadata parse(Map<String, Object> object) {
    String where = object.get("kind") + " " + Yaml.str(object, "metadata", "name");
    Class<? extends KubernetesResource> type =
        serialization.getRegisteredKubernetesResource(
            (String) object.get("apiVersion"), (String) object.get("kind"));
    if (type == null || type == GenericKubernetesResource.class) {
      throw new AssertionError(where + ": not a built-in Kubernetes kind, no typed model");
    }
    Object typed;
    try {
      typed = strict.readValue(json.writeValueAsString(object), type);
    } catch (Exception e) {
      throw new AssertionError(where + ": does not parse as Kubernetes: " + e.getMessage(), e);
    }
    if (!(typed instanceof HasMetadata h)) {
      throw new AssertionError(where + ": " + type + " has no metadata");
    }
    List<String> unknown = new ArrayList<>();
    walk(typed, "", unknown, new IdentityHashMap<>());
    if (!unknown.isEmpty()) {
      throw new AssertionError(where + ": unknown fields " + unknown);
    }
    return h;
  }

  /** Any typed model (e.g. an HPA behavior inside a KEDA object) from an untyped tree. */
  <T> T parse(Object tree, Class<T> type, String where) {
    T typed;
    try {
      typed = strict.readValue(json.writeValueAsString(tree), type);
    } catch (Exception e) {
      throw new AssertionError(where + ": " + e.getMessage(), e);
    }
    List<String> unknown = new ArrayList<>();
    walk(typed, "", unknown, new IdentityHashMap<>());
    if (!unknown.isEmpty()) {
      throw new AssertionError(where + ": unknown fields " + unknown);
    }
    return typed;
  }

  private static void walk(Object node, String path, List<String> unknown, Map<Object, ?> seen) {
    if (node == null || seen.containsKey(node)) {
      return;
    }
    if (node instanceof Collection<?> c) {
      int i = 0;
      for (Object o : c) {
        walk(o, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
      return;
    }
    if (!(node instanceof KubernetesResource)
        && !node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    seen.put(node, null);
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          for (Object key : ((Map<?, ?>) value).keySet()) {
            unknown.add(path + "." + key);
          }
        }
        continue;
      }
      String field =
          Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      walk(value, path + "." + field, unknown, seen);
    }
  }

  static Set<String> builtInKinds() {
    return Set.of(
        "ConfigMap", "Deployment", "PodDisruptionBudget", "Job", "Service", "Ingress", "Secret");
  }
}
