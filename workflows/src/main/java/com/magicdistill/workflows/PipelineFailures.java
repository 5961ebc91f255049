package com.magicdistill.workflows;

import io.temporal.failure.ApplicationFailure;
import java.util.List;

/**
 * The failure types the pipeline's activities and workflow raise, with whether Temporal may retry
 * them. The workflow's retry options name the non-retryable ones ({@link #NOT_RETRYABLE}).
 */
public final class PipelineFailures {
  /** A RunSpec or stage setting that no retry can fix. */
  public static final String INVALID_CONFIG = "InvalidConfig";

  /** A write by an attempt that a newer attempt of the same stage fenced out. */
  public static final String STALE_ATTEMPT = "StaleAttempt";

  /** The workflow's own failure when a stage failed for good. */
  public static final String STAGE_FAILED = "StageFailed";

  /** The worker is shutting down; the stage checkpointed and resumes on another worker. */
  public static final String WORKER_DRAINING = "WorkerDraining";

  /**
   * A code or data error of one stage attempt. Temporal does not retry it: the workflow counts it
   * against the stage's error budget ({@code retries.errorAttempts}) and runs the stage again or
   * fails the run. Its details carry the Temporal attempt number, so the workflow knows how many
   * attempts before it were preempted.
   */
  public static final String STAGE_ERROR = "StageError";

  /**
   * Failure types a stage activity raises that Temporal must not retry; every other failure (a
   * heartbeat timeout, {@link #WORKER_DRAINING}, an unreachable store or database) is retried.
   */
  public static final List<String> NOT_RETRYABLE =
      List.of(INVALID_CONFIG, STALE_ATTEMPT, STAGE_ERROR);

  private PipelineFailures() {}

  public static ApplicationFailure invalidConfig(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, INVALID_CONFIG);
  }

  public static ApplicationFailure staleAttempt(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, STALE_ATTEMPT);
  }

  public static ApplicationFailure stageFailed(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, STAGE_FAILED);
  }

  /** A code or data error of Temporal attempt {@code attempt}; counted by the workflow. */
  public static ApplicationFailure stageError(String message, Throwable cause, int attempt) {
    return ApplicationFailure.newNonRetryableFailureWithCause(message, STAGE_ERROR, cause, attempt);
  }

  /** Retryable: another worker picks the stage up from its checkpoint. */
  public static ApplicationFailure workerDraining(String message) {
    return ApplicationFailure.newFailure(message, WORKER_DRAINING);
  }
}
