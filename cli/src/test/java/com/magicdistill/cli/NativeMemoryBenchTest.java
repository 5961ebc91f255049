package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./magic bench native-memory} on the tiny preset: one round at one thread, so one child JVM
 * per malloc setting, each of which must have run with the setting it was given.
 */
class NativeMemoryBenchTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void eachChildRunsWithItsOwnSettingAndTheTableComparesThem() throws Exception {
    int code =
        MagicCli.run(
            "bench",
            "native-memory",
            "--preset",
            "tiny",
            "--rounds",
            "1",
            "--threads",
            "1",
            "--results",
            dir.toString());
    assertEquals(0, code);
    Map<String, Object> json =
        new ObjectMapper()
            .readValue(
                dir.resolve("native-memory-tiny.json").toFile(),
                new TypeReference<Map<String, Object>>() {});
    List<Map<String, Object>> runs = (List<Map<String, Object>>) json.get("runs");
    assertEquals(2, runs.size(), runs.toString());
    for (Map<String, Object> run : runs) {
      Map<String, Object> alloc = (Map<String, Object>) run.get("native_allocator");
      assertEquals(
          run.get("mode").equals("reuse"), alloc.get("reuses_freed_memory"), run.toString());
      assertTrue(((Number) run.get("ms_per_step")).doubleValue() > 0, run.toString());
    }
    assertEquals(List.of("glibc", "reuse"), runs.stream().map(r -> r.get("mode")).toList());
    Map<String, Object> summary = ((List<Map<String, Object>>) json.get("summary")).get(0);
    double glibc =
        ((Number) ((Map<String, Object>) summary.get("glibc")).get("median_ms_per_step"))
            .doubleValue();
    double reuse =
        ((Number) ((Map<String, Object>) summary.get("reuse")).get("median_ms_per_step"))
            .doubleValue();
    assertEquals(reuse / glibc, ((Number) summary.get("median_ratio")).doubleValue(), 1e-12);
    String md = Files.readString(dir.resolve("native-memory-tiny.md"));
    assertTrue(
        md.contains("Command: `./magic bench native-memory --preset tiny --rounds 1 --threads 1`"),
        md);
    assertTrue(md.contains("`MALLOC_MMAP_MAX_=0` and `MALLOC_TRIM_THRESHOLD_=68719476736`"), md);
  }

  @Test
  void badRoundsAreRefusedNamingTheFlag() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = MagicCli.run("bench", "native-memory", "--rounds", "0");
      assertEquals(2, code);
    } finally {
      System.setErr(old);
    }
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("--rounds must be at least 1, not 0"),
        err.toString(StandardCharsets.UTF_8));
  }
}
