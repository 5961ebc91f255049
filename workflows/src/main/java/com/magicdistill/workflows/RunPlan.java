package com.magicdistill.workflows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stages a run does not have to execute: ones it already completed (a re-submitted run after a
 * Temporal restart) and ones reused from another run, with their outputs and how they were obtained
 * ({@code SUCCEEDED}, {@code CACHED} or {@code REUSED}).
 *
 * @param firstLookup the cache lookup of the first stage the run must execute ({@link
 *     #firstRequest}), made by {@link RunBookkeeping#prepareRunThenLookup} in the same call; null
 *     from {@link RunBookkeeping#prepareRun} or when every stage is done
 */
public record RunPlan(
    Map<String, StageOutputs> done, Map<String, StageStatus> how, CacheLookup firstLookup) {
  public RunPlan {
    done = done == null ? Map.of() : Map.copyOf(done);
    how = how == null ? Map.of() : Map.copyOf(how);
  }

  public RunPlan(Map<String, StageOutputs> done, Map<String, StageStatus> how) {
    this(done, how, null);
  }

  /** This plan with the first stage's lookup. */
  public RunPlan withFirstLookup(CacheLookup lookup) {
    return new RunPlan(done, how, lookup);
  }

  /**
   * The cache lookup request of the first stage, in pipeline order, that is not done, with the
   * inputs the done stages before it give it (as the workflow passes them on); empty when every
   * stage is done.
   */
  public Optional<StageRequest> firstRequest(RunSpec spec) {
    Map<String, String> inputs = new LinkedHashMap<>();
    for (PipelineStage s : PipelineStage.values()) {
      StageOutputs out = done.get(s.slug());
      if (out == null) {
        return Optional.of(new StageRequest(spec.runId(), s, spec, inputs, null));
      }
      ArtifactKey.addInputs(s, out, inputs);
    }
    return Optional.empty();
  }
}
