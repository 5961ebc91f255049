package com.magicdistill.engine.train;

/** Resident memory after {@code step} steps had completed, in MiB. */
public record RssSample(long step, long rssMb) {}
