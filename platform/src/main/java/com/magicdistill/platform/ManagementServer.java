package com.magicdistill.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port ({@code MAGIC_METRICS_PORT}): {@code GET /live} (200; 503 once a stage on
 * this worker stalled), {@code GET /ready} (200 when Temporal, S3 and PostgreSQL answer, else 503
 * naming the ones that do not) and {@code GET /metrics} (Prometheus text format).
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

  private final HttpServer server;
  private final Readiness readiness;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "readiness-refresh");
            t.setDaemon(true);
            return t;
          });

  ManagementServer(
      int port, PrometheusMeterRegistry registry, BooleanSupplier live, Readiness readiness)
      throws IOException {
    this.readiness = readiness;
    try {
      this.server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new IOException(
          "cannot serve health and metrics on port "
              + port
              + " ("
              + e.getMessage()
              + "): set MAGIC_METRICS_PORT to a free port",
          e);
    }
    server.createContext(
        "/live",
        x ->
            reply(
                x,
                live.getAsBoolean() ? 200 : 503,
                live.getAsBoolean() ? "live\n" : "stalled: a stage made no step\n",
                "text/plain"));
    server.createContext(
        "/ready",
        x -> {
          List<String> down = readiness.failing();
          reply(
              x,
              down.isEmpty() ? 200 : 503,
              down.isEmpty() ? "ready\n" : "not reachable: " + String.join(", ", down) + "\n",
              "text/plain");
        });
    server.createContext(
        "/metrics",
        x -> reply(x, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "management");
              t.setDaemon(true);
              return t;
            }));
  }

  /** Serves on {@code port} (0: any free port), checking readiness every {@code refreshSeconds}. */
  static ManagementServer start(
      int port,
      PrometheusMeterRegistry registry,
      BooleanSupplier live,
      Readiness readiness,
      long refreshSeconds)
      throws IOException {
    ManagementServer m = new ManagementServer(port, registry, live, readiness);
    m.server.start();
    m.refresher.scheduleWithFixedDelay(readiness::refresh, 0, refreshSeconds, TimeUnit.SECONDS);
    LOG.info("health and metrics on port {} (/live, /ready, /metrics)", m.port());
    return m;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void reply(HttpExchange x, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(x.getRequestMethod())) {
      x.sendResponseHeaders(status, -1);
      x.close();
      return;
    }
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    server.stop(0);
    readiness.close();
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
