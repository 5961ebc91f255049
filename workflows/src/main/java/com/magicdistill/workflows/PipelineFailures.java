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

  /** Failure types a stage activity raises that retrying cannot fix. */
  public static final List<String> NOT_RETRYABLE = List.of(INVALID_CONFIG, STALE_ATTEMPT);

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

  /** Retryable: another worker picks the stage up from its checkpoint. */
  public static ApplicationFailure workerDraining(String message) {
    return ApplicationFailure.newFailure(message, WORKER_DRAINING);
  }
}
