package com.magicdistill.workflows;

/**
 * How one activity attempt of a stage ended: the {@code stage_attempts.outcome} CHECK constraint in
 * {@code db/migrations/V1__runs.sql}, value for value (a db test compares them).
 */
public enum AttemptOutcome {
  /** Still running, or its worker died without saying so. */
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Its worker died or drained; a newer attempt took over. */
  LOST,
  /** Stopped at a checkpoint because the workflow asked (pause or cancel). */
  PAUSED,
  CANCELLED,
  /** A newer attempt fenced it out of the object store. */
  SUPERSEDED
}
