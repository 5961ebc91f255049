package com.magicdistill.workflows;

import java.util.Map;

/**
 * Stages a run does not have to execute: ones it already completed (a re-submitted run after a
 * Temporal restart) and ones reused from another run, with their outputs and how they were obtained
 * ({@code SUCCEEDED}, {@code CACHED} or {@code REUSED}).
 */
public record RunPlan(Map<String, StageOutputs> done, Map<String, StageStatus> how) {
  public RunPlan {
    done = done == null ? Map.of() : Map.copyOf(done);
    how = how == null ? Map.of() : Map.copyOf(how);
  }
}
