package com.magicdistill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Polls the console's {@code GET /api/v1/runs/{id}} with a team token every {@code every} from a
 * thread of its own and keeps each answer, so a benchmark can say what the console answered during
 * each fault.
 */
final class ConsoleWatch implements AutoCloseable {
  /** One request: when it was sent, the HTTP status (0: no answer), the run's status it showed. */
  record Sample(Instant at, int http, String runStatus) {
    boolean ok() {
      return http == 200;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final HttpRequest request;
  private final String runId;
  private final Duration every;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  ConsoleWatch(String baseUrl, String token, String runId, Duration every) {
    this.runId = runId;
    this.every = every;
    this.request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/runs/" + runId))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(5))
            .build();
    this.thread = new Thread(this::poll, "console-watch");
    thread.setDaemon(true);
  }

  ConsoleWatch start() {
    thread.start();
    return this;
  }

  /** How many requests the watch sent so far. */
  int requests() {
    synchronized (samples) {
      return samples.size();
    }
  }

  /** One request now. */
  Sample get() {
    Instant at = Instant.now();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      String status = null;
      if (r.statusCode() == 200) {
        JsonNode body = JSON.readTree(r.body());
        // the bench's run, not some other answer
        status = runId.equals(body.path("id").asText()) ? body.path("status").asText() : null;
      }
      return new Sample(at, status == null && r.statusCode() == 200 ? -1 : r.statusCode(), status);
    } catch (IOException e) {
      return new Sample(at, 0, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sample(at, 0, null);
    }
  }

  private void poll() {
    while (!stopped) {
      Sample s = get();
      synchronized (samples) {
        samples.add(s);
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * What the console answered between {@code from} and {@code to}: requests, answers by HTTP status
   * (0: none), the longest time without a 200, and seconds from {@code to} to the first 200 sent at
   * or after it (how soon it served again).
   */
  Map<String, Object> between(Instant from, Instant to) {
    List<Sample> window = new ArrayList<>();
    Sample firstOkAfter = null;
    synchronized (samples) {
      for (Sample s : samples) {
        if (!s.at().isBefore(from) && !s.at().isAfter(to)) {
          window.add(s);
        } else if (s.at().isAfter(to) && s.ok() && firstOkAfter == null) {
          firstOkAfter = s;
        }
      }
    }
    Map<Integer, Integer> byHttp = new TreeMap<>();
    Instant lastOk = from;
    double longestGap = 0;
    for (Sample s : window) {
      byHttp.merge(s.http(), 1, Integer::sum);
      if (s.ok()) {
        longestGap = Math.max(longestGap, seconds(lastOk, s.at()));
        lastOk = s.at();
      }
    }
    longestGap = Math.max(longestGap, seconds(lastOk, to));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", window.size());
    m.put("answers_by_http_status", byHttp);
    m.put("answered_200", byHttp.getOrDefault(200, 0));
    m.put("longest_without_200_s", longestGap);
    m.put(
        "served_again_after_s",
        window.isEmpty() || !window.get(window.size() - 1).ok()
            ? firstOkAfter == null ? null : seconds(to, firstOkAfter.at())
            : 0.0);
    return m;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
