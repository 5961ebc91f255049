package com.magicdistill.activities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.engine.io.Json;
import com.magicdistill.workflows.RunSpec;
import java.util.Map;

/**
 * Field overrides of a run spec by dotted path ({@code distill.alphaWeak = 0.5}), as the CLI's
 * options and the API's partial specs give them. An unknown path is an error naming it.
 */
public final class RunSpecOverrides {
  private static final ObjectMapper JSON = Json.MAPPER;

  private RunSpecOverrides() {}

  public static RunSpec apply(RunSpec spec, Map<String, ?> overrides) {
    ObjectNode tree = JSON.valueToTree(spec);
    for (Map.Entry<String, ?> e : overrides.entrySet()) {
      String[] path = e.getKey().split("\\.");
      ObjectNode parent = tree;
      for (int i = 0; i < path.length - 1; i++) {
        JsonNode child = parent.get(path[i]);
        if (child == null || !child.isObject()) {
          throw unknown(e.getKey());
        }
        parent = (ObjectNode) child;
      }
      String leaf = path[path.length - 1];
      boolean mapField = path.length == 2 && path[0].equals("taskQueues");
      if (!parent.has(leaf) && !mapField) {
        throw unknown(e.getKey());
      }
      parent.set(leaf, JSON.valueToTree(e.getValue()));
    }
    try {
      return JSON.treeToValue(tree, RunSpec.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalArgumentException(
          "run spec override has the wrong type: " + ex.getOriginalMessage());
    }
  }

  private static IllegalArgumentException unknown(String path) {
    return new IllegalArgumentException(
        path
            + " is not a run spec field: see RunSpec (e.g. distill.alphaWeak, checkpoints.everySteps)");
  }
}
