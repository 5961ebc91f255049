package com.magicdistill.db;

/**
 * A run's stage attempts by budget: {@code preemptions} (LOST or DRAINED: a worker died, drained or
 * could not reach the store) and {@code errors} (FAILED: a code or data error).
 */
public record AttemptCounts(long preemptions, long errors) {}
