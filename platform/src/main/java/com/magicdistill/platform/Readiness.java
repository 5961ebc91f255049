package com.magicdistill.platform;

import com.magicdistill.storage.ObjectStore;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Whether the services this process needs answer: each check runs in the background (a probe must
 * answer within its own timeout, which a down database's connect timeout would exceed) and {@link
 * #failing()} reports the last round.
 */
final class Readiness implements AutoCloseable {
  private static final long CHECK_SECONDS = 5;

  private final Map<String, Callable<?>> checks;
  private final ExecutorService pool;
  private volatile List<String> failing;

  /**
   * @param checks service name to a call that throws when the service is unreachable
   */
  Readiness(Map<String, Callable<?>> checks) {
    this.checks = new LinkedHashMap<>(checks);
    this.failing = List.copyOf(this.checks.keySet()); // not ready before the first round
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "readiness");
              t.setDaemon(true);
              return t;
            });
  }

  /** Temporal, S3 and PostgreSQL of {@code c}. */
  static Readiness of(Connections c) {
    Map<String, Callable<?>> checks = new LinkedHashMap<>();
    WorkflowServiceStubs service = c.workflowClient().getWorkflowServiceStubs();
    checks.put(
        "Temporal",
        () ->
            service
                .blockingStub()
                .withDeadlineAfter(CHECK_SECONDS, TimeUnit.SECONDS)
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()));
    ObjectStore store = c.store();
    checks.put("S3", () -> store.exists("readiness-probe"));
    checks.put("PostgreSQL", postgres(c.dataSource()));
    return new Readiness(checks);
  }

  static Callable<?> postgres(DataSource ds) {
    return () -> {
      try (Connection conn = ds.getConnection()) {
        if (!conn.isValid((int) CHECK_SECONDS)) {
          throw new IllegalStateException("connection is not valid");
        }
      }
      return null;
    };
  }

  /** Runs every check now (in parallel, each at most a few seconds) and keeps the result. */
  void refresh() {
    Map<String, Future<?>> running = new LinkedHashMap<>();
    checks.forEach((name, check) -> running.put(name, pool.submit(check)));
    List<String> down = new ArrayList<>();
    running.forEach(
        (name, f) -> {
          try {
            f.get(CHECK_SECONDS * 3, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            down.add(name);
          } catch (Exception e) {
            f.cancel(true);
            down.add(name);
          }
        });
    failing = List.copyOf(down);
  }

  /** The services that did not answer in the last round (empty: ready). */
  List<String> failing() {
    return failing;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
