package com.magicdistill.db;

import com.magicdistill.workflows.RunStatus;
import java.time.Instant;

/** A row of {@code runs}. {@code specJson} is the full validated RunSpec. */
public record RunRow(
    String id,
    String name,
    String specJson,
    String specSha256,
    String preset,
    RunStatus status,
    String workflowId,
    String codeVersion,
    String reusedFromRun,
    String reuseFromStage,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String error) {}
