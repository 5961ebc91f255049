package com.magicdistill.bench;

import com.magicdistill.activities.HeartbeatSink;
import com.magicdistill.activities.RunBookkeepingImpl;
import com.magicdistill.activities.StageRunner;
import com.magicdistill.activities.WorkerDrain;
import com.magicdistill.db.Repositories;
import com.magicdistill.platform.WorkerSettings;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.ArtifactKey;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The five stages of a run called in order through {@link StageRunner} in this JVM, without
 * Temporal: what {@code DistillationPipelineImpl} does minus the workflow, its bookkeeping
 * activities and heartbeats. Same object store, same PostgreSQL rows (attempts, metrics,
 * checkpoints), same inputs ({@code <slug>.<name>} of the upstream outputs).
 */
final class DirectPipeline {
  private final Repositories repositories;
  private final StageRunner runner;

  /**
   * @param scratch folder for the stages' worker-local files
   * @param identity recorded as the attempts' worker
   */
  DirectPipeline(ObjectStore store, Repositories repositories, Path scratch, String identity) {
    this.repositories = repositories;
    this.runner = new StageRunner(store, repositories, new WorkerDrain(), scratch, identity);
  }

  /**
   * Registers {@code spec}'s run, runs its five stages and marks it SUCCEEDED (FAILED on error).
   */
  void run(RunSpec spec) throws IOException {
    spec.validate();
    String runId = spec.runId();
    RunBookkeepingImpl.register(
        repositories, spec, WorkerSettings.fromEnv(System.getenv()).codeVersion());
    repositories.runs().updateRunStatus(runId, RunStatus.RUNNING, null);
    Map<String, String> inputs = new LinkedHashMap<>();
    try {
      for (PipelineStage s : PipelineStage.values()) {
        // The cache key only matters to the bookkeeping the workflow does; stages do not read it.
        StageRequest request = new StageRequest(runId, s, spec, inputs, null);
        StageRunner.Outcome outcome = runner.run(request, 1, null, HeartbeatSink.NONE);
        if (outcome.outputs() == null) {
          throw new IllegalStateException(
              runId + " " + s.slug() + " stopped at step " + outcome.step() + " without outputs");
        }
        outcome
            .outputs()
            .artifacts()
            .forEach((k, v) -> inputs.put(new ArtifactKey(s, k).inputName(), v));
      }
    } catch (IOException | RuntimeException e) {
      repositories.runs().updateRunStatus(runId, RunStatus.FAILED, e.toString());
      throw e;
    }
    repositories.runs().updateRunStatus(runId, RunStatus.SUCCEEDED, null);
  }
}
