package com.magicdistill.engine.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Writes a set as an array in a fixed order, whatever the set's iteration order: natural order when
 * the elements are mutually comparable, else the order of their JSON text.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class SortedSetSerializer extends StdSerializer<Set> {
  SortedSetSerializer() {
    super(Set.class);
  }

  @Override
  public void serialize(Set set, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    List<Object> items = new ArrayList<>(set);
    try {
      items.sort(null);
    } catch (ClassCastException | NullPointerException notComparable) {
      items.sort(Comparator.comparing(SortedSetSerializer::jsonText));
    }
    gen.writeStartArray(set, items.size());
    for (Object item : items) {
      provider.defaultSerializeValue(item, gen);
    }
    gen.writeEndArray();
  }

  private static String jsonText(Object o) {
    try {
      return Json.SORTED.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + o + " as JSON", e);
    }
  }
}
