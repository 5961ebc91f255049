package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/api/openapi.json is the API as served: regenerate it with {@code mvn -pl web-console -am
 * test -Dtest=OpenApiDocumentIsCurrentTest -Dopenapi.update=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class OpenApiDocumentIsCurrentTest extends ConsoleTest {
  static final Path COMMITTED = Path.of("..", "docs", "api", "openapi.json");

  @Test
  void theCommittedDocumentIsCurrent() throws Exception {
    String served =
        mvc.perform(get("/v3/api-docs"))
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    ObjectNode doc = (ObjectNode) json.readTree(served);
    doc.remove("servers"); // the test server's address
    String pretty =
        json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(json.treeToValue(doc, java.util.Map.class))
            + "\n";
    if (Boolean.getBoolean("openapi.update")) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, pretty);
    }
    assertThat(Files.exists(COMMITTED))
        .as("docs/api/openapi.json is missing: run this test with -Dopenapi.update=true")
        .isTrue();
    assertThat(Files.readString(COMMITTED))
        .as("docs/api/openapi.json is stale: run this test with -Dopenapi.update=true")
        .isEqualTo(pretty);
  }
}
