package com.magicdistill.workflows;

/**
 * A stage's recorded status: the {@code stages.status} CHECK constraint in {@code
 * db/migrations/V1__runs.sql}, value for value (a db test compares them).
 */
public enum StageStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  /** Outputs taken from the stage cache. */
  CACHED,
  /** Outputs taken from another run ({@code reuse} in the RunSpec). */
  REUSED;

  /** SUCCEEDED, CACHED or REUSED: the stage has outputs later stages can use. */
  public boolean hasOutputs() {
    return this == SUCCEEDED || this == CACHED || this == REUSED;
  }
}
