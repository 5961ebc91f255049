package com.magicdistill.db;

import com.magicdistill.workflows.StageStatus;
import java.time.Instant;

/** A row of {@code stages}; {@code stage} is the slug ({@code fine-tune}, ...). */
public record StageRow(
    String runId,
    String stage,
    int ordinal,
    StageStatus status,
    String cacheKey,
    String outputsJson,
    Long totalSteps,
    Instant startedAt,
    Instant finishedAt) {}
