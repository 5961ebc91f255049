package com.magicdistill.activities;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set when the worker is shutting down (SIGTERM, a scale-down): running stages checkpoint at their
 * next step and fail with a retryable error, so another worker resumes them at once instead of
 * after a heartbeat timeout.
 */
public final class WorkerDrain {
  private final AtomicBoolean draining = new AtomicBoolean();

  public boolean draining() {
    return draining.get();
  }

  public void start() {
    draining.set(true);
  }
}
