package com.magicdistill.bench;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.magicdistill.engine.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a benchmark's JSON and its short markdown table side by side. */
final class BenchResults {
  private static final ObjectWriter JSON = Json.PRETTY;

  private BenchResults() {}

  /** Also records the code that ran ({@link CodeRevision}) as {@code "code"} in the JSON. */
  static void write(Path dir, String name, Map<String, Object> json, String markdown)
      throws IOException {
    json.putIfAbsent("code", CodeRevision.current().toMap());
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve(name + ".json").toFile(), json);
    Files.writeString(dir.resolve(name + ".md"), markdown);
  }
}
