package com.magicdistill.activities;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Set when the worker is shutting down (SIGTERM, a scale-down): running stages stop at their next
 * step and fail with a retryable error, so another worker resumes them at once instead of after a
 * heartbeat timeout. With a deadline (the grace period, {@code MAGIC_DRAIN_SECONDS}) a stage writes
 * its stop checkpoint only if that fits: its last checkpoint's save time × {@value #MARGIN} is less
 * than the time left; otherwise it stops at once and the next attempt resumes from the last
 * checkpoint (at most {@code checkpoints.everySteps}/{@code everySeconds} lost).
 */
public final class WorkerDrain {
  /** Headroom over the last measured save time: uploads vary, and the process must still exit. */
  static final double MARGIN = 1.5;

  private static final long NO_DEADLINE = Long.MAX_VALUE;

  private final AtomicBoolean draining = new AtomicBoolean();
  private final LongSupplier nanoTime;
  private volatile long deadlineNanos = NO_DEADLINE;

  public WorkerDrain() {
    this(System::nanoTime);
  }

  /** A drain on another clock (tests). */
  WorkerDrain(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  public boolean draining() {
    return draining.get();
  }

  /** Drains without a deadline: every stage checkpoints before it stops. */
  public void start() {
    draining.set(true);
  }

  /** Drains; stop checkpoints must be written within {@code grace} from now. */
  public void start(Duration grace) {
    deadlineNanos = nanoTime.getAsLong() + grace.toNanos();
    draining.set(true);
  }

  /** Seconds left before the deadline (infinite without one). */
  public double secondsLeft() {
    long d = deadlineNanos;
    return d == NO_DEADLINE ? Double.POSITIVE_INFINITY : (d - nanoTime.getAsLong()) / 1e9;
  }

  /**
   * Whether a stop checkpoint fits before the deadline, given how long the attempt's last
   * checkpoint took to write (NaN when it wrote none yet: then it tries, as it would without a
   * deadline; the worker exits at the deadline anyway, and a half-written checkpoint is never
   * resumed from).
   */
  public boolean checkpointFits(double lastSaveSeconds) {
    double left = secondsLeft();
    if (Double.isInfinite(left) || Double.isNaN(lastSaveSeconds)) {
      return true;
    }
    return lastSaveSeconds * MARGIN < left;
  }
}
