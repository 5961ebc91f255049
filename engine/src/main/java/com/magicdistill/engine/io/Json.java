package com.magicdistill.engine.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * The project's Jackson mappers, built once (a mapper is costly to build and thread-safe to share).
 * Never reconfigure them: every user shares them.
 */
public final class Json {
  private Json() {}

  /** Reading, trees, conversions and compact writing. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Maps written with their keys sorted and sets with their elements sorted, also inside {@code
   * valueToTree} and {@code convertValue}: for bytes that are hashed or must be equal for equal
   * content. A {@code Set.of} iterates in an order drawn at random per JVM, so unsorted it would
   * give two processes different stage cache keys for the same config.
   */
  public static final ObjectMapper SORTED =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .registerModule(new SimpleModule().addSerializer(new SortedSetSerializer()));

  /** Indented output, for files people read. */
  public static final ObjectWriter PRETTY = MAPPER.writer(SerializationFeature.INDENT_OUTPUT);

  /** Indented output with map keys and set elements sorted. */
  public static final ObjectWriter PRETTY_SORTED =
      SORTED.writer(SerializationFeature.INDENT_OUTPUT);
}
