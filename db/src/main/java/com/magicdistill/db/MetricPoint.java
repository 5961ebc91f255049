package com.magicdistill.db;

/** One point of a metric series. */
public record MetricPoint(String name, long step, double value) {}
