package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every committed {@code bench/results/**.md} is what its benchmark's renderer makes of the {@code
 * .json} beside it, so a hand edit of either shows up here.
 */
class CommittedResultsTest {
  private static final Map<String, Function<Map<String, Object>, String>> RENDERERS =
      new LinkedHashMap<>();

  static {
    RENDERERS.put("teacher-", TeacherBenchTable::markdown);
    RENDERERS.put("native-memory-", NativeMemoryBenchmark::markdown);
    RENDERERS.put("paper-table-", PaperTable::markdown);
    RENDERERS.put("distill-sweep-", DistillSweepBenchmark::markdown);
    RENDERERS.put("collapse-", CollapseTable::markdown);
    RENDERERS.put("pipeline", PipelineBenchmark::markdown);
    RENDERERS.put("cluster", ClusterBenchmark::markdown);
    RENDERERS.put("api", ApiBenchmark::markdown);
  }

  /** bench/results, found from the compiled test classes (target/test-classes). */
  static Path resultsDir() throws Exception {
    Path classes =
        Path.of(
            CommittedResultsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = classes.getParent().getParent().resolve("results");
    assertTrue(Files.isDirectory(dir), "no results folder at " + dir);
    return dir;
  }

  @Test
  void everyMarkdownIsRenderedFromItsJson() throws Exception {
    List<Path> jsons;
    try (Stream<Path> files = Files.walk(resultsDir())) {
      jsons = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(jsons.size() >= 4, "committed results: " + jsons);
    List<String> checked = new ArrayList<>();
    for (Path json : jsons) {
      String name = json.getFileName().toString().replaceFirst("\\.json$", "");
      Path md = json.resolveSibling(name + ".md");
      var renderer =
          RENDERERS.entrySet().stream().filter(e -> name.startsWith(e.getKey())).findFirst();
      assertTrue(renderer.isPresent(), "no renderer known for " + json);
      assertTrue(Files.exists(md), json + " has no " + md.getFileName());
      Map<String, Object> tree =
          new ObjectMapper().readValue(json.toFile(), new TypeReference<Map<String, Object>>() {});
      assertEquals(Files.readString(md), renderer.get().getValue().apply(tree), md + " vs " + json);
      checked.add(name);
    }
    System.out.println("checked " + checked);
  }
}
