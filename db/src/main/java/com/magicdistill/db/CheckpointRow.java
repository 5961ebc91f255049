package com.magicdistill.db;

import java.time.Instant;

/** A row of {@code checkpoints}; {@code deletedAt} is set once retention removed the object. */
public record CheckpointRow(
    long id,
    String runId,
    String stage,
    long attemptId,
    String objectKey,
    long step,
    long bytes,
    String sha256,
    Double metric,
    Instant createdAt,
    Instant deletedAt) {}
