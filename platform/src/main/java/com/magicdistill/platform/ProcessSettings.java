package com.magicdistill.platform;

import com.magicdistill.db.Database;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How this process runs in a deployment, from environment variables (each unset one keeps its
 * default):
 *
 * <ul>
 *   <li>{@code MAGIC_DB_MIGRATE} ({@code migrate}): {@code migrate} applies pending schema
 *       migrations at start; {@code validate} refuses to start on a schema that is behind (the
 *       chart runs {@code ./magic db migrate} as a Job instead);
 *   <li>{@code MAGIC_JDBC_POOL_SIZE} (5): at most this many PostgreSQL connections;
 *   <li>{@code MAGIC_METRICS_PORT} (unset: {@code ./magic worker} uses 9464, others none): the
 *       management port with /live, /ready and /metrics;
 *   <li>{@code MAGIC_WORKER_IDENTITY} (unset: {@code worker-<pid>@<host>}): the worker identity in
 *       Temporal and on each stage attempt (the pod name on Kubernetes).
 * </ul>
 *
 * @param migrate whether this process may migrate the schema
 * @param poolSize maximum PostgreSQL connections
 * @param metricsPort the management port, empty for the command's default
 * @param workerIdentity the worker identity, null for the default
 */
public record ProcessSettings(
    boolean migrate, int poolSize, OptionalInt metricsPort, String workerIdentity) {
  public static final String DB_MIGRATE = "MAGIC_DB_MIGRATE";
  public static final String POOL_SIZE = "MAGIC_JDBC_POOL_SIZE";
  public static final String METRICS_PORT = "MAGIC_METRICS_PORT";
  public static final String WORKER_IDENTITY = "MAGIC_WORKER_IDENTITY";

  /** What {@code ./magic worker} serves on when {@value #METRICS_PORT} is unset. */
  public static final int DEFAULT_WORKER_METRICS_PORT = 9464;

  public static ProcessSettings defaults() {
    return new ProcessSettings(true, Database.DEFAULT_POOL_SIZE, OptionalInt.empty(), null);
  }

  /** These settings with the ones {@code env} sets replaced. */
  public ProcessSettings overriddenBy(Map<String, String> env) {
    String identity = env.get(WORKER_IDENTITY);
    return new ProcessSettings(
        migrateMode(env.get(DB_MIGRATE), migrate),
        intIn(env, POOL_SIZE, 1, 1000, poolSize, "5"),
        env.get(METRICS_PORT) == null || env.get(METRICS_PORT).isBlank()
            ? metricsPort
            : OptionalInt.of(intIn(env, METRICS_PORT, 1, 65535, 0, "9464")),
        identity == null || identity.isBlank() ? workerIdentity : identity.strip());
  }

  private static boolean migrateMode(String v, boolean fallback) {
    if (v == null || v.isBlank()) {
      return fallback;
    }
    return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "migrate" -> true;
      case "validate" -> false;
      default ->
          throw new IllegalArgumentException(
              DB_MIGRATE + " is invalid (got '" + v + "'): use migrate or validate");
    };
  }

  private static int intIn(
      Map<String, String> env, String name, int min, int max, int fallback, String example) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name
            + " is invalid (got "
            + v
            + "): use a whole number from "
            + min
            + " to "
            + max
            + ", e.g. "
            + example);
  }
}
