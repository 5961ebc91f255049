package com.magicdistill.platform;

import com.magicdistill.activities.CodeVersion;
import com.magicdistill.activities.StageRunner;
import java.time.Duration;
import java.util.Map;

/**
 * How a worker behaves, from environment variables (each unset one keeps its default):
 *
 * <ul>
 *   <li>{@code MAGIC_RECONCILE_SECONDS} (10): how often it looks for runs PostgreSQL has in flight
 *       that Temporal does not know (a restarted test server) and re-submits them;
 *   <li>{@code MAGIC_STALL_SECONDS} (1800): a stage that made steps and then none for this long
 *       stops heartbeating, so Temporal retries it on another worker;
 *   <li>{@code MAGIC_CODE_VERSION} (project version + build time of the jar): the code version in
 *       stage cache keys (a release tag or commit in production);
 *   <li>{@code MAGIC_DRAIN_SECONDS} (unset: no deadline, every stage checkpoints before it stops):
 *       on SIGTERM a stage writes its stop checkpoint only if that fits in this many seconds, and
 *       the worker exits within them (the grace period minus ~10 s, docs/PIPELINE.md#failures);
 *   <li>{@code MAGIC_HEARTBEAT_THROTTLE_SECONDS} (1): at most one stage heartbeat per this many
 *       seconds reaches Temporal (one persistence write each; 10 on a cluster). Resume reads
 *       checkpoints from S3, not heartbeat details, so a longer interval loses no steps;
 *   <li>{@code MAGIC_FAULT_STAGE_ERROR} (unset), for fault tests only: {@code <run id>/<stage>}
 *       makes every attempt of that stage of that run on this worker fail with a code error, so the
 *       error budget can be watched ({@code ./magic bench cluster}, docs/PIPELINE.md).
 * </ul>
 *
 * @param reconcileEvery interval of the orphaned-run reconciler
 * @param stallLimit no training step for this long, after the first, means a wedged stage
 * @param codeVersion what stage cache keys are tied to
 * @param drainDeadline how long a SIGTERM'd worker may take to drain, or null for no deadline
 * @param heartbeatThrottle the most often a stage heartbeat is sent to Temporal
 * @param injectedStageError {@code <run id>/<stage>} whose attempts fail on purpose, or null
 */
public record WorkerSettings(
    Duration reconcileEvery,
    Duration stallLimit,
    String codeVersion,
    Duration drainDeadline,
    Duration heartbeatThrottle,
    String injectedStageError) {
  public static final String RECONCILE_SECONDS = "MAGIC_RECONCILE_SECONDS";
  public static final String STALL_SECONDS = "MAGIC_STALL_SECONDS";
  public static final String CODE_VERSION = "MAGIC_CODE_VERSION";
  public static final String DRAIN_SECONDS = "MAGIC_DRAIN_SECONDS";
  public static final String HEARTBEAT_THROTTLE_SECONDS = "MAGIC_HEARTBEAT_THROTTLE_SECONDS";
  public static final String FAULT_STAGE_ERROR = "MAGIC_FAULT_STAGE_ERROR";

  public WorkerSettings {
    requirePositive(RECONCILE_SECONDS, reconcileEvery, 10);
    requirePositive(STALL_SECONDS, stallLimit, 1800);
    if (drainDeadline != null) {
      requirePositive(DRAIN_SECONDS, drainDeadline, 90);
    }
    requirePositive(HEARTBEAT_THROTTLE_SECONDS, heartbeatThrottle, 10);
    if (codeVersion == null || codeVersion.isBlank() || !codeVersion.strip().equals(codeVersion)) {
      throw new IllegalArgumentException(
          CODE_VERSION
              + " is invalid (got '"
              + codeVersion
              + "'): use a release tag or commit without surrounding spaces, e.g. v0.1.0");
    }
    if (injectedStageError != null && !injectedStageError.matches("[a-z0-9-]+/[a-z0-9-]+")) {
      throw new IllegalArgumentException(
          FAULT_STAGE_ERROR
              + " is invalid (got '"
              + injectedStageError
              + "'): use <run id>/<stage>, e.g. r-fail/fine-tune, or leave it unset");
    }
  }

  /**
   * Reconcile every 10 s, stall after 30 min, the jar's own code version, no drain deadline,
   * heartbeats at most every second.
   */
  public static WorkerSettings defaults() {
    return new WorkerSettings(
        Duration.ofSeconds(10),
        StageRunner.DEFAULT_STALL_LIMIT,
        CodeVersion.ofBuild(),
        null,
        Duration.ofSeconds(1),
        null);
  }

  public static WorkerSettings fromEnv(Map<String, String> env) {
    return defaults().overriddenBy(env);
  }

  /** These settings with the ones {@code env} sets replaced. */
  public WorkerSettings overriddenBy(Map<String, String> env) {
    String version = env.get(CODE_VERSION);
    return new WorkerSettings(
        seconds(env, RECONCILE_SECONDS, reconcileEvery, 10),
        seconds(env, STALL_SECONDS, stallLimit, 1800),
        version == null || version.isBlank() ? codeVersion : version.strip(),
        seconds(env, DRAIN_SECONDS, drainDeadline, 90),
        seconds(env, HEARTBEAT_THROTTLE_SECONDS, heartbeatThrottle, 10),
        blankToNull(env.getOrDefault(FAULT_STAGE_ERROR, injectedStageError)));
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static Duration seconds(
      Map<String, String> env, String name, Duration fallback, int example) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      long s = Long.parseLong(v.trim());
      if (s >= 1) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name
            + " is invalid (got "
            + v
            + "): use a whole number of seconds, at least 1, e.g. "
            + example);
  }

  private static void requirePositive(String name, Duration d, int example) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          name
              + " is invalid (got "
              + d
              + "): use a whole number of seconds, at least 1, e.g. "
              + example);
    }
  }
}
