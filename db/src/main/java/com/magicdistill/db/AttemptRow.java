package com.magicdistill.db;

import com.magicdistill.workflows.AttemptOutcome;
import java.time.Instant;

/** A row of {@code stage_attempts}: one Temporal activity attempt of a stage. */
public record AttemptRow(
    long id,
    String runId,
    String stage,
    int attempt,
    String worker,
    Instant startedAt,
    Instant endedAt,
    AttemptOutcome outcome,
    long startStep,
    Long endStep,
    String resumedFrom,
    String error) {}
