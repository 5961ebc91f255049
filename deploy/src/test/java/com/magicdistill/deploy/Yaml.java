package com.magicdistill.deploy;

import java.util.List;
import java.util.Map;

/** Path lookups in untyped YAML trees (maps and lists from Jackson). */
final class Yaml {
  private Yaml() {}

  static Object get(Object node, String... path) {
    Object cur = node;
    for (String key : path) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(key);
    }
    return cur;
  }

  static String str(Object node, String... path) {
    Object v = get(node, path);
    return v == null ? null : v.toString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, String... path) {
    Object v = get(node, path);
    return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node, String... path) {
    Object v = get(node, path);
    return v instanceof List<?> ? (List<Object>) v : List.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Object node, String... path) {
    return list(node, path).stream().map(o -> (Map<String, Object>) o).toList();
  }
}
