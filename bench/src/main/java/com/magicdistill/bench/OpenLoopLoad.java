package com.magicdistill.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Open-loop load: request {@code i} is due at {@code start + i / rate}, whatever the earlier
 * responses did, and its latency counts from that due time. A closed loop (send, wait, send) would
 * slow down with the server and hide its stalls (coordinated omission).
 */
final class OpenLoopLoad {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final double ratePerS;

  OpenLoopLoad(HttpClient http, double ratePerS) {
    this.http = http;
    this.ratePerS = ratePerS;
  }

  /** Sends {@code ratePerS * seconds} requests, {@code request.apply(i)} the i-th. */
  LatencySummary run(double seconds, IntFunction<HttpRequest> request) throws InterruptedException {
    int n = (int) Math.round(ratePerS * seconds);
    long[] micros = new long[n];
    AtomicInteger errors = new AtomicInteger();
    Map<String, Integer> kinds = new TreeMap<>();
    List<CompletableFuture<?>> inFlight = new ArrayList<>(n);
    long intervalNs = (long) (1e9 / ratePerS);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = start + i * intervalNs;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      HttpRequest r = request.apply(i);
      int slot = i;
      inFlight.add(
          http.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray())
              .handle(
                  (resp, failure) -> {
                    micros[slot] = (System.nanoTime() - due) / 1000;
                    String kind = null;
                    if (failure != null) {
                      kind =
                          failure instanceof HttpTimeoutException
                                  || failure.getCause() instanceof HttpTimeoutException
                              ? "timeout"
                              : failure.getClass().getSimpleName();
                    } else if (resp.statusCode() / 100 != 2) {
                      kind = Integer.toString(resp.statusCode());
                    }
                    if (kind != null) {
                      errors.incrementAndGet();
                      synchronized (kinds) {
                        kinds.merge(kind, 1, Integer::sum);
                      }
                    }
                    return null;
                  }));
    }
    try {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
          .get(REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("requests did not complete: " + e, e);
    }
    double wallS = (System.nanoTime() - start) / 1e9;
    synchronized (kinds) {
      return LatencySummary.of(micros, errors.get(), new TreeMap<>(kinds), wallS);
    }
  }
}
