package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.bench.ApiBenchmark;
import com.magicdistill.bench.ConsoleUnderTest;
import com.magicdistill.bench.Progress;
import com.magicdistill.console.ConsoleApplication;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.TemporalRunControl;
import com.magicdistill.platform.Connections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * {@code magic bench api} in miniature (300 runs, 0.5 s per endpoint at 40 requests/s, the console
 * in this JVM): every endpoint answers without an error through the benchmark's token, and the
 * results have every figure the issue asks for. The timings are the benchmark's business.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ApiBenchmarkSmokeTest {
  @Test
  void seedsLoadsEveryEndpointAndWritesTheFigures(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    var options = new ApiBenchmark.Options(300, 40, 0.5, 0.25);
    new ApiBenchmark(
            results, dir.resolve("home"), options, ApiBenchmarkSmokeTest::inProcess, Progress.NONE)
        .run();
    JsonNode j = new ObjectMapper().readTree(results.resolve("api.json").toFile());
    assertEquals(
        "./magic bench api --runs 300 --rate 40 --seconds 0.50 --warmup-seconds 0.25",
        j.get("command").asText());
    assertTrue(j.get("code").get("git_commit").asText().matches("[0-9a-f]{40}"), j.toString());
    assertEquals(300, j.get("seeded").get("runs").asInt());
    assertTrue(j.get("seeded").get("metrics").asInt() > 0, j.toString());
    List<String> names = new ArrayList<>();
    j.get("endpoints").fieldNames().forEachRemaining(names::add);
    assertEquals(
        List.of("list_first_page", "list_deep_cursor", "get_run", "metric_series", "validate"),
        names);
    for (JsonNode e : j.get("endpoints")) {
      assertEquals(20, e.get("requests").asInt(), e.toString());
      assertEquals(0, e.get("errors").asInt(), e.toString());
      assertTrue(e.get("p50_ms").asDouble() <= e.get("p99_ms").asDouble(), e.toString());
      assertTrue(e.get("p99_ms").asDouble() <= e.get("max_ms").asDouble(), e.toString());
    }
    assertTrue(j.get("deep_cursor_offset").asInt() >= 200, j.toString());
    assertTrue(j.get("rss_mb_before").asDouble() > 0 && j.get("rss_mb_after").asDouble() > 0);
    assertTrue(j.get("plans").get("list_first_page").size() > 0, j.toString());
    String md = Files.readString(results.resolve("api.md"));
    assertTrue(md.contains("| POST /api/v1/runs/validate | 20 | 0 |"), md);
    assertTrue(md.contains("load average"), md);
  }

  /** The console in this JVM on the benchmark's services, as the browser test starts it. */
  static ConsoleUnderTest inProcess(Connections c, Map<String, String> settings) {
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    ConsoleBackends backends =
        new ConsoleBackends(
            c.dataSource(),
            c.store(),
            new TemporalRunControl(c.pipeline()),
            c.config().home(),
            c.config().worker().codeVersion());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--console.platform.enabled=false",
                "--spring.main.banner-mode=off"));
    settings.forEach((k, v) -> args.add("--" + k + "=" + v));
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(ConsoleApplication.class)
            .initializers(
                x ->
                    ((GenericApplicationContext) x)
                        .registerBean(ConsoleBackends.class, () -> backends))
            .run(args.toArray(String[]::new));
    String url = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
    return new ConsoleUnderTest() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public long pid() {
        return ProcessHandle.current().pid();
      }

      @Override
      public boolean inProcess() {
        return true;
      }

      @Override
      public void close() {
        ctx.close();
      }
    };
  }
}
