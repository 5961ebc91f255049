package com.magicdistill.workflows;

/**
 * How one activity attempt of a stage ended: the {@code stage_attempts.outcome} CHECK constraint in
 * {@code db/migrations/V1__runs.sql} as widened by {@code V3__attempt_drained.sql}, value for value
 * (a db test compares them).
 */
public enum AttemptOutcome {
  /** Still running, or its worker died without saying so. */
  RUNNING,
  SUCCEEDED,
  /** A code or data error: counts against the stage's error budget. */
  FAILED,
  /**
   * Its worker died (heartbeat timeout) or could not reach the store or the database; a newer
   * attempt took over. Counts as a preemption, never against the error budget.
   */
  LOST,
  /** Its worker shut down (SIGTERM); it stopped, with a checkpoint if one fit the deadline. */
  DRAINED,
  /** Stopped at a checkpoint because the workflow asked (pause or cancel). */
  PAUSED,
  CANCELLED,
  /** A newer attempt fenced it out of the object store. */
  SUPERSEDED
}
