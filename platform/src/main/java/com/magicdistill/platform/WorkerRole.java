package com.magicdistill.platform;

import java.util.Locale;

/**
 * What a worker serves: {@code pipeline} (the workflow, its bookkeeping activities and the
 * reconciler), {@code stages} (stage queues only, for GPU pods) or {@code all} (both: {@code
 * ./magic up}).
 */
public enum WorkerRole {
  PIPELINE,
  STAGES,
  ALL;

  /** Serves the pipeline queue and may reconcile. */
  public boolean servesPipeline() {
    return this != STAGES;
  }

  /** Serves the given stage queues. */
  public boolean servesStages() {
    return this != PIPELINE;
  }

  /** {@code pipeline}, {@code stages} or {@code all} (any case); else an error naming --role. */
  public static WorkerRole parse(String value) {
    if (value != null) {
      for (WorkerRole r : values()) {
        if (r.name().equalsIgnoreCase(value.strip())) {
          return r;
        }
      }
    }
    throw new IllegalArgumentException(
        "--role is invalid (got '" + value + "'): use pipeline, stages or all");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
