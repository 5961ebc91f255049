package com.magicdistill.db;

import java.time.Instant;

/**
 * A row of {@code checkpoints}; {@code checksum} is the tensor file's, with its algorithm ({@code
 * crc32c:<hex>} or {@code sha256:<hex>}); {@code deletedAt} is set once retention removed the
 * object.
 */
public record CheckpointRow(
    long id,
    String runId,
    String stage,
    long attemptId,
    String objectKey,
    long step,
    long bytes,
    String checksum,
    Double metric,
    Instant createdAt,
    Instant deletedAt) {}
