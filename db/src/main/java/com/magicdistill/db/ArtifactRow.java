package com.magicdistill.db;

import java.time.Instant;

/** A row of {@code artifacts}; {@code stage} may be null for run-level artifacts. */
public record ArtifactRow(
    long id,
    String runId,
    String stage,
    String kind,
    String objectKey,
    String sha256,
    long bytes,
    Instant createdAt) {}
