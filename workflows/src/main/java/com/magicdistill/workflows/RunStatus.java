package com.magicdistill.workflows;

/**
 * A run's recorded status: the {@code runs.status} CHECK constraint in {@code
 * db/migrations/V1__runs.sql}, value for value (a db test compares them).
 */
public enum RunStatus {
  QUEUED,
  RUNNING,
  PAUSED,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** SUCCEEDED, FAILED or CANCELLED: the run has ended (it may still be resumed). */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** QUEUED, RUNNING or PAUSED: a workflow should exist for the run. */
  public boolean isInFlight() {
    return !isTerminal();
  }
}
