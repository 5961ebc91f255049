package com.magicdistill.bench;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.magicdistill.engine.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a benchmark's JSON and its short markdown table side by side. */
public final class BenchResults {
  private static final Logger LOG = LoggerFactory.getLogger(BenchResults.class);
  private static final ObjectWriter JSON = Json.PRETTY;

  private BenchResults() {}

  /** Prefix of the temporary work folder a benchmark command makes when no --work is given. */
  static final String TEMPORARY_WORK_PREFIX = "magic-";

  /** A new temporary work folder for a benchmark run without --work. */
  public static Path temporaryWorkDir(String name) throws IOException {
    return Files.createTempDirectory(TEMPORARY_WORK_PREFIX + name);
  }

  /**
   * The {@code --work} option for a recorded command: empty for the temporary folder the command
   * made itself (it changes nothing in the results, and a machine path has no place in them).
   */
  static String workOption(Path workDir) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    Path abs = workDir.toAbsolutePath();
    boolean temporary =
        tmp.equals(abs.getParent())
            && abs.getFileName().toString().startsWith(TEMPORARY_WORK_PREFIX);
    return temporary ? "" : " --work " + workDir;
  }

  /** Deletes a work folder and everything in it; a failure is logged, not thrown. */
  static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  /** Also records the code that ran ({@link CodeRevision}) as {@code "code"} in the JSON. */
  static void write(Path dir, String name, Map<String, Object> json, String markdown)
      throws IOException {
    json.putIfAbsent("code", CodeRevision.current().toMap());
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve(name + ".json").toFile(), json);
    Files.writeString(dir.resolve(name + ".md"), markdown);
  }

  /**
   * {@link #write} with the markdown rendered from the JSON as written (records and other objects
   * become maps and lists), exactly as the committed-results check renders it.
   */
  static void writeRendered(
      Path dir,
      String name,
      Map<String, Object> json,
      java.util.function.Function<Map<String, Object>, String> renderer)
      throws IOException {
    json.putIfAbsent("code", CodeRevision.current().toMap());
    @SuppressWarnings("unchecked")
    Map<String, Object> written =
        Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(json), Map.class);
    write(dir, name, json, renderer.apply(written));
  }
}
