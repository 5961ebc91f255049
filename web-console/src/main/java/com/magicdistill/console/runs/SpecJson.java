package com.magicdistill.console.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.magicdistill.workflows.RunSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Run specs as JSON the way the workers store them (Jackson 2, map keys sorted): what goes into
 * {@code runs.spec}, its hash, and specs read back for the API.
 */
public final class SpecJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private SpecJson() {}

  public static String write(RunSpec spec) {
    try {
      return MAPPER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RunSpec read(String json) {
    try {
      return MAPPER.readValue(json, RunSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "a stored run spec does not parse: " + e.getOriginalMessage());
    }
  }

  /** A stored spec as a generic JSON value for responses. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(String json) {
    try {
      return MAPPER.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "a stored run spec does not parse: " + e.getOriginalMessage());
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(RunSpec spec) {
    return MAPPER.convertValue(spec, Map.class);
  }

  /** A launch request as stored by a schedule. */
  public static String writeRequest(RunRequest request) {
    try {
      return MAPPER.writeValueAsString(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RunRequest readRequest(String json) {
    try {
      return MAPPER.readValue(json, RunRequest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "a stored run request does not parse: " + e.getOriginalMessage());
    }
  }

  static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  public static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
