package com.magicdistill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.engine.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings that decide what a long benchmark's piece of work produces (a training seed of the
 * paper table, a part of the collapse study), written beside that work so that another process, or
 * a later run, reuses it only under the same settings. Files are {@code {"settings": ..., "<key>":
 * ...}}, written to a temporary file and moved into place.
 */
final class SettingsRecord {
  private final JsonNode settings;

  SettingsRecord(Map<String, Object> settings) {
    this.settings = normalised(settings);
  }

  /** The settings as written and compared. */
  JsonNode settings() {
    return settings;
  }

  /** The settings a file of this kind recorded, as {@link #settings()} would have them. */
  static JsonNode recordedIn(Map<String, Object> file) {
    return normalised(file.get("settings"));
  }

  /** The names of this record's settings whose values differ in {@code other}. */
  List<String> differences(JsonNode other) {
    List<String> differ = new ArrayList<>();
    settings
        .fieldNames()
        .forEachRemaining(
            n -> {
              if (!settings.get(n).equals(other.path(n))) {
                differ.add(n);
              }
            });
    return differ;
  }

  /** Writes {@code {"settings": these settings, key: payload}} to {@code target}, atomically. */
  void write(Path target, String key, Object payload) throws IOException {
    Files.createDirectories(target.getParent());
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("settings", settings);
    file.put(key, payload);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Json.PRETTY.writeValue(tmp.toFile(), file);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Through JSON text, so that a float written and read back compares equal to itself, with arrays
   * of strings (sets such as the LoRA targets, in no fixed order) sorted.
   */
  private static JsonNode normalised(Object settings) {
    try {
      return sortedSets(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(settings)));
    } catch (IOException e) {
      throw new IllegalStateException("benchmark settings are not JSON", e);
    }
  }

  private static JsonNode sortedSets(JsonNode node) {
    if (node.isObject()) {
      var o = (ObjectNode) node;
      o.fieldNames().forEachRemaining(f -> o.set(f, sortedSets(o.get(f))));
    } else if (node.isArray() && !node.isEmpty()) {
      List<JsonNode> items = new ArrayList<>();
      node.forEach(items::add);
      if (items.stream().allMatch(JsonNode::isTextual)) {
        items.sort(Comparator.comparing(JsonNode::asText));
        var a = (ArrayNode) node;
        a.removeAll();
        items.forEach(a::add);
      }
    }
    return node;
  }
}
