package com.magicdistill.engine.train;

import java.util.function.BooleanSupplier;

/**
 * How a long-running training loop is steered from outside (by a durable activity): checkpoints
 * also every {@code checkpointEverySeconds} of wall time (0 = only by step count), and {@code
 * stopRequested} is asked after every step; when it answers true the loop writes a checkpoint of
 * the step it has reached and returns early, so a pause or a cancel loses nothing.
 */
public record StageControl(double checkpointEverySeconds, BooleanSupplier stopRequested) {
  /** Step-count checkpoints only, never stopped early. */
  public static final StageControl NONE = new StageControl(0, () -> false);

  public StageControl {
    if (checkpointEverySeconds < 0) {
      throw new IllegalArgumentException(
          "checkpointEverySeconds must be >= 0 (got "
              + checkpointEverySeconds
              + "): use 0 for off");
    }
  }

  /**
   * Whether a time-based checkpoint is due, the last one having been written at {@code lastNanos}.
   */
  public boolean checkpointDue(long lastNanos) {
    return checkpointEverySeconds > 0
        && System.nanoTime() - lastNanos >= (long) (checkpointEverySeconds * 1e9);
  }
}
