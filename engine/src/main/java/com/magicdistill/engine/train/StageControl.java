package com.magicdistill.engine.train;

import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * How a long-running training loop is steered from outside (by a durable activity): checkpoints
 * also every {@code checkpointEverySeconds} of wall time (0 = only by step count), and {@code
 * stopRequested} is asked after every step; when it answers true the loop writes a checkpoint of
 * the step it has reached (if {@code checkpointOnStop} says it fits, e.g. a drain deadline) and
 * returns early, so a pause or a cancel loses nothing. {@code checkpointSaved} hears how many
 * seconds each checkpoint took to write, which is what {@code checkpointOnStop} estimates from.
 */
public record StageControl(
    double checkpointEverySeconds,
    BooleanSupplier stopRequested,
    BooleanSupplier checkpointOnStop,
    DoubleConsumer checkpointSaved) {
  /** Step-count checkpoints only, never stopped early. */
  public static final StageControl NONE = new StageControl(0, () -> false);

  public StageControl {
    if (checkpointEverySeconds < 0) {
      throw new IllegalArgumentException(
          "checkpointEverySeconds must be >= 0 (got "
              + checkpointEverySeconds
              + "): use 0 for off");
    }
    checkpointOnStop = checkpointOnStop == null ? () -> true : checkpointOnStop;
    checkpointSaved = checkpointSaved == null ? seconds -> {} : checkpointSaved;
  }

  /** A control that always checkpoints on stop and ignores save times. */
  public StageControl(double checkpointEverySeconds, BooleanSupplier stopRequested) {
    this(checkpointEverySeconds, stopRequested, null, null);
  }

  /**
   * Whether a time-based checkpoint is due, the last one having been written at {@code lastNanos}.
   */
  public boolean checkpointDue(long lastNanos) {
    return checkpointEverySeconds > 0
        && System.nanoTime() - lastNanos >= (long) (checkpointEverySeconds * 1e9);
  }

  /** Whether a loop that stops now should write a checkpoint first. */
  public boolean checkpointFitsOnStop() {
    return checkpointOnStop.getAsBoolean();
  }

  /** Reports that a checkpoint took {@code sinceNanos} (a {@link System#nanoTime()}) to write. */
  public void savedSince(long sinceNanos) {
    checkpointSaved.accept((System.nanoTime() - sinceNanos) / 1e9);
  }
}
