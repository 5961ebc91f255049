package com.magicdistill.activities;

import com.magicdistill.workflows.StageHeartbeat;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness of one stage attempt. A timer heartbeats what the attempt reached ({@code step,
 * checkpointKey, loss, speed}): data preparation, model loading and uploads can outlast the
 * heartbeat timeout without a training step in between. The stall detector withholds those beats
 * once training has started and then makes no step for {@link Timing#stallLimit()}: Temporal times
 * the wedged attempt out and retries it on another worker. When the sink answers that the workflow
 * wants the stage stopped, {@code onStopRequested} runs.
 */
final class HeartbeatPump implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPump.class);
  private static final long SPEED_WINDOW_NANOS = 5_000_000_000L;

  /**
   * @param every how often the timer heartbeats
   * @param stallLimit no step for this long, after the first one, means a wedged loop
   */
  record Timing(Duration every, Duration stallLimit) {
    Timing {
      if (every.isNegative() || every.isZero() || stallLimit.isNegative() || stallLimit.isZero()) {
        throw new IllegalArgumentException(
            "heartbeat interval and stall limit must be positive (got "
                + every
                + ", "
                + stallLimit
                + ")");
      }
    }

    /**
     * A beat a second (Temporal throttles to its own interval), stalls after {@code stallLimit}.
     */
    static Timing of(Duration stallLimit) {
      return new Timing(Duration.ofSeconds(1), stallLimit);
    }
  }

  private final String name;
  private final HeartbeatSink sink;
  private final long stallLimitNanos;
  private final Runnable onStopRequested;
  private final ScheduledExecutorService timer;
  private volatile long totalSteps;
  private volatile long step;
  private volatile String checkpointKey;
  private volatile long checkpointStep;
  private volatile double loss = Double.NaN;
  private volatile double stepsPerSecond;
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile boolean stallReported;
  private long speedMarkNanos = System.nanoTime();
  private long speedMarkStep;

  /**
   * Starts the timer at once.
   *
   * @param name the attempt, for logs and the timer thread ({@code <runId> <stage>})
   */
  HeartbeatPump(String name, HeartbeatSink sink, Timing timing, Runnable onStopRequested) {
    this.name = name;
    this.sink = sink;
    this.stallLimitNanos = timing.stallLimit().toNanos();
    this.onStopRequested = onStopRequested;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat-" + name.replace(' ', '-'));
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::beatUnlessStalled, 0, timing.every().toNanos(), TimeUnit.NANOSECONDS);
  }

  void totalSteps(long total) {
    this.totalSteps = total;
  }

  /** The step the attempt reached (over all phases). */
  long step() {
    return step;
  }

  /** A training step ended; {@code shownLoss} is what the heartbeat reports as the loss. */
  void progressed(long newStep, double shownLoss) {
    lastProgressNanos = System.nanoTime();
    step = newStep;
    loss = shownLoss;
    long now = System.nanoTime();
    if (now - speedMarkNanos > SPEED_WINDOW_NANOS) {
      stepsPerSecond = (newStep - speedMarkStep) / ((now - speedMarkNanos) / 1e9);
      speedMarkNanos = now;
      speedMarkStep = newStep;
    }
  }

  /** A checkpoint of {@code atStep} was recorded: heartbeat its key at once (a retry reads it). */
  void checkpointed(String key, long atStep) {
    lastProgressNanos = System.nanoTime();
    checkpointKey = key;
    checkpointStep = atStep;
    beat();
  }

  /** The attempt resumed from {@code key} at {@code atStep}: heartbeat that at once. */
  void resumed(long atStep, String key) {
    lastProgressNanos = System.nanoTime();
    step = atStep;
    checkpointKey = key;
    checkpointStep = atStep;
    speedMarkStep = atStep;
    beat();
  }

  private void beatUnlessStalled() {
    if (step > 0 && System.nanoTime() - lastProgressNanos > stallLimitNanos) {
      if (!stallReported) {
        stallReported = true;
        LOG.warn(
            "{}: no training step for {} s after step {}: withholding heartbeats so the stage is"
                + " retried elsewhere",
            name,
            stallLimitNanos / 1_000_000_000L,
            step);
      }
      return;
    }
    try {
      beat();
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.toString());
    }
  }

  private synchronized void beat() {
    boolean keepGoing =
        sink.beat(
            new StageHeartbeat(
                step, totalSteps, checkpointKey, checkpointStep, loss, stepsPerSecond));
    if (!keepGoing) {
      onStopRequested.run();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
