package com.magicdistill.workflows;

import io.temporal.activity.ActivityInterface;

/**
 * Short activities that keep PostgreSQL and the stage cache in step with the workflow (which stays
 * deterministic: it never touches the database or S3 itself). They run on the pipeline task queue,
 * which every worker serves.
 */
@ActivityInterface
public interface RunBookkeeping {
  /** Records the run (if new) as RUNNING and returns the stages it need not execute. */
  RunPlan prepareRun(RunSpec spec);

  /**
   * {@link #prepareRun}, then {@link #lookupCacheOrStart} for the plan's first stage to execute
   * ({@link RunPlan#firstRequest}), returned as {@link RunPlan#firstLookup()}: one call before the
   * first stage instead of two.
   */
  RunPlan prepareRunThenLookup(RunSpec spec);

  /** Computes the stage's cache key and returns cached outputs whose objects all still exist. */
  CacheLookup lookupCache(StageRequest request);

  /**
   * {@link #lookupCache} and, unless it returns outputs the run may use (a hit with the cache on),
   * records the stage as RUNNING under that cache key, in one call; a hit it may not use comes back
   * without outputs.
   */
  CacheLookup lookupCacheOrStart(StageRequest request);

  /** Records a stage's new status (and, when it finished, its outputs and cache entry). */
  void stageStatus(
      String runId, PipelineStage stage, StageStatus status, StageOutputs outputs, String cacheKey);

  /** Records the run's new status and error ({@code null} clears it). */
  void runStatus(String runId, RunStatus status, String error);

  /**
   * Records {@code done} as SUCCEEDED ({@link #stageStatus}), then {@link #lookupCacheOrStart} for
   * {@code next}: one call at a stage boundary instead of two.
   */
  CacheLookup stageSucceededThenLookup(StageSuccess done, StageRequest next);

  /**
   * Records {@code done} as SUCCEEDED ({@link #stageStatus}), then the run's status ({@link
   * #runStatus}): one call at the run's end instead of two.
   */
  void stageSucceededThenRunStatus(StageSuccess done, RunStatus status, String error);
}
