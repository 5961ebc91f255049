package com.magicdistill.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
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
