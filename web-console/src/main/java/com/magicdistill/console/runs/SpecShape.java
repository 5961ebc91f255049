package com.magicdistill.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.magicdistill.console.api.FieldError;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON tree against the shape of a record type before binding it, so one answer names
 * every unknown field and every value of the wrong type (binding stops at the first).
 */
final class SpecShape {
  private SpecShape() {}

  static void check(JsonNode node, Type type, String path, List<FieldError> out) {
    if (node == null || node.isNull()) {
      if (type == int.class
          || type == long.class
          || type == float.class
          || type == double.class
          || type == boolean.class) {
        out.add(new FieldError(path, null, "is missing: give a " + simple(type)));
      }
      return;
    }
    if (out.size() >= 100) {
      return;
    }
    if (type instanceof Class<?> c && c.isRecord()) {
      if (!node.isObject()) {
        out.add(new FieldError(path, node.toString(), "use a JSON object"));
        return;
      }
      Map<String, RecordComponent> fields = new java.util.LinkedHashMap<>();
      for (RecordComponent rc : c.getRecordComponents()) {
        fields.put(rc.getName(), rc);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = join(path, e.getKey());
        RecordComponent rc = fields.get(e.getKey());
        if (rc == null) {
          out.add(new FieldError(p, null, "unknown field: remove it"));
        } else {
          check(e.getValue(), rc.getGenericType(), p, out);
        }
      }
      for (RecordComponent rc : c.getRecordComponents()) {
        if (rc.getType().isPrimitive() && !node.has(rc.getName())) {
          out.add(
              new FieldError(
                  join(path, rc.getName()), null, "is missing: give a " + simple(rc.getType())));
        }
      }
      return;
    }
    if (type instanceof ParameterizedType pt && pt.getRawType() == Map.class) {
      if (!node.isObject()) {
        out.add(new FieldError(path, node.toString(), "use a JSON object"));
        return;
      }
      Type valueType = pt.getActualTypeArguments()[1];
      node.fields()
          .forEachRemaining(e -> check(e.getValue(), valueType, join(path, e.getKey()), out));
      return;
    }
    String value = node.isValueNode() ? node.asText() : node.toString();
    if (value.length() > 80) {
      value = value.substring(0, 80) + "…";
    }
    boolean ok;
    if (type == String.class) {
      ok =
          node.isTextual()
              && node.asText().length() <= 1000
              && node.asText().chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f);
    } else if (type == int.class || type == Integer.class) {
      ok = node.isIntegralNumber() && node.canConvertToInt();
    } else if (type == long.class || type == Long.class) {
      ok = node.isIntegralNumber() && node.canConvertToLong();
    } else if (type == float.class
        || type == Float.class
        || type == double.class
        || type == Double.class) {
      ok = node.isNumber() && Double.isFinite(node.asDouble()) && Math.abs(node.asDouble()) < 1e30;
    } else if (type == boolean.class || type == Boolean.class) {
      ok = node.isBoolean();
    } else {
      ok = true;
    }
    if (!ok) {
      out.add(new FieldError(path, value, "use a " + simple(type)));
    }
  }

  private static String simple(Type t) {
    if (t == String.class) {
      return "string (at most 1000 printable characters)";
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "whole number";
    }
    if (t == float.class || t == Float.class || t == double.class || t == Double.class) {
      return "number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "boolean";
    }
    return "value";
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
