package com.magicdistill.workflows;

/**
 * A stage that succeeded, to be recorded (status, outputs, cache entry) together with the
 * workflow's next bookkeeping call ({@link RunBookkeeping#stageSucceededThenLookup}, {@link
 * RunBookkeeping#stageSucceededThenRunStatus}).
 */
public record StageSuccess(
    String runId, PipelineStage stage, StageOutputs outputs, String cacheKey) {}
