package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.db.Database;
import com.magicdistill.db.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The management port: /live, /ready (503 naming PostgreSQL once it is down), /metrics. */
@Timeout(120)
class ManagementServerTest {
  @TempDir Path dataDir;
  private boolean dbClosed;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(ManagementServer m, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyTurns503NamingPostgresWhenItStops() throws Exception {
    TestDatabase db = TestDatabase.start(dataDir);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StageMetrics stages = new StageMetrics(registry, 2, Duration.ofMinutes(30));
    AtomicBoolean live = new AtomicBoolean(true);
    try (HikariDataSource pool = Database.connect(db.settings(), 2)) {
      Map<String, Callable<?>> checks = new LinkedHashMap<>();
      checks.put("Temporal", () -> null);
      checks.put("S3", () -> null);
      checks.put("PostgreSQL", Readiness.postgres(pool));
      Readiness readiness = new Readiness(checks);
      try (ManagementServer m = ManagementServer.start(0, registry, live::get, readiness, 3600)) {
        readiness.refresh();
        HttpResponse<String> ready = get(m, "/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals(200, get(m, "/live").statusCode());

        String metrics = get(m, "/metrics").body();
        for (String name :
            new String[] {
              "magicdistill_stage_steps_total",
              "magicdistill_stage_steps_per_second",
              "magicdistill_stage_attempts_total{outcome=\"failed\"}",
              "magicdistill_stage_heartbeat_age_seconds",
              "magicdistill_stage_slots_busy",
              "magicdistill_stage_slots 2.0"
            }) {
          assertTrue(metrics.contains(name), name + " in\n" + metrics);
        }

        db.close();
        dbClosed = true;
        readiness.refresh();
        HttpResponse<String> down = get(m, "/ready");
        assertEquals(503, down.statusCode(), down.body());
        assertTrue(down.body().contains("PostgreSQL"), down.body());
        assertTrue(!down.body().contains("S3"), down.body());

        live.set(false);
        assertEquals(503, get(m, "/live").statusCode());
      }
    } finally {
      if (!dbClosed) {
        db.close();
      }
    }
  }
}
