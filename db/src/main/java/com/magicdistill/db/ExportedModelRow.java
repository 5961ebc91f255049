package com.magicdistill.db;

import java.time.Instant;

/** A row of {@code exported_models}. */
public record ExportedModelRow(
    long id,
    String runId,
    String name,
    String objectPrefix,
    String manifestSha256,
    String metricsJson,
    Instant createdAt) {}
