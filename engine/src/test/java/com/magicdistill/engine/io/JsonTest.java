package com.magicdistill.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Card(String name, Map<String, Object> metrics) {}

  private static Map<String, Object> unsorted() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 2);
    m.put("a", 1);
    return m;
  }

  @Test
  void theMapperKeepsInsertionOrder() throws Exception {
    assertEquals("{\"b\":2,\"a\":1}", Json.MAPPER.writeValueAsString(unsorted()));
  }

  @Test
  void sortedOutputSortsMapKeysAlsoInsideTrees() throws Exception {
    assertEquals("{\"a\":1,\"b\":2}", Json.SORTED.writeValueAsString(unsorted()));
    String tree = Json.SORTED.valueToTree(new Card("x", unsorted())).toString();
    assertEquals("{\"name\":\"x\",\"metrics\":{\"a\":1,\"b\":2}}", tree);
  }

  record Model(String name, Set<Object> targets) {}

  /** Set.of iterates in an order drawn per JVM: hashed bytes must not follow it. */
  @Test
  void sortedOutputSortsSetElementsAlsoInsideTrees() throws Exception {
    Set<Object> forward = new LinkedHashSet<>(List.of("fc1", "fc2", "proj", "qkv"));
    Set<Object> backward = new LinkedHashSet<>(List.of("qkv", "proj", "fc2", "fc1"));
    String expected = "{\"name\":\"m\",\"targets\":[\"fc1\",\"fc2\",\"proj\",\"qkv\"]}";
    assertEquals(expected, Json.SORTED.writeValueAsString(new Model("m", backward)));
    assertEquals(expected, Json.SORTED.writeValueAsString(new Model("m", forward)));
    assertEquals(expected, Json.SORTED.valueToTree(new Model("m", backward)).toString());
    Set<Object> mixed = new LinkedHashSet<>(List.of(Map.of("b", 1), 2, "a"));
    Set<Object> mixedBackward = new LinkedHashSet<>(List.of("a", 2, Map.of("b", 1)));
    assertEquals(
        Json.SORTED.writeValueAsString(mixed), Json.SORTED.writeValueAsString(mixedBackward));
    assertEquals("[\"qkv\",\"proj\",\"fc2\",\"fc1\"]", Json.MAPPER.writeValueAsString(backward));
  }

  @Test
  void prettyOutputIsIndented() throws Exception {
    String nl = System.lineSeparator();
    assertEquals(
        "{" + nl + "  \"b\" : 2," + nl + "  \"a\" : 1" + nl + "}",
        Json.PRETTY.writeValueAsString(unsorted()));
    assertEquals(
        "{" + nl + "  \"a\" : 1," + nl + "  \"b\" : 2" + nl + "}",
        Json.PRETTY_SORTED.writeValueAsString(unsorted()));
  }
}
