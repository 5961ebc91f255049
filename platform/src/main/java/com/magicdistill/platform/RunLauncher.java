package com.magicdistill.platform;

import com.magicdistill.activities.RunBookkeepingImpl;
import com.magicdistill.db.Repositories;
import com.magicdistill.workflows.PipelineClient;
import com.magicdistill.workflows.RunSpec;

/**
 * Starts runs the durable way: the spec is validated (every invalid field named, nothing stored),
 * recorded in PostgreSQL as QUEUED, and only then submitted to Temporal, so a Temporal restart at
 * any moment after the call leaves a run the {@link Reconciler} can re-submit.
 */
public final class RunLauncher {
  private final Repositories repositories;
  private final PipelineClient pipeline;
  private final String codeVersion;

  /**
   * @param codeVersion recorded with the run (stage cache keys)
   */
  public RunLauncher(Repositories repositories, PipelineClient pipeline, String codeVersion) {
    this.repositories = repositories;
    this.pipeline = pipeline;
    this.codeVersion = codeVersion;
  }

  /** Validates, records and starts {@code spec}; returns its run id. */
  public String launch(RunSpec spec) {
    spec.validate();
    if (repositories.runs().findRun(spec.runId()).isPresent()) {
      throw new IllegalArgumentException(
          "runId is invalid (got " + spec.runId() + "): a run with this id exists; pick a new id");
    }
    RunBookkeepingImpl.register(repositories, spec, codeVersion);
    pipeline.start(spec);
    return spec.runId();
  }

  public PipelineClient pipeline() {
    return pipeline;
  }
}
