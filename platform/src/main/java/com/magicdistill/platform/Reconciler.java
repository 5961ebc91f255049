package com.magicdistill.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.db.RunRepository;
import com.magicdistill.db.RunRow;
import com.magicdistill.engine.io.Json;
import com.magicdistill.workflows.PipelineClient;
import com.magicdistill.workflows.RunSpec;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs runs that PostgreSQL says are in flight but Temporal does not know (the embedded test
 * server keeps its state in memory, so its restart forgets every workflow): each is re-submitted
 * with its stored spec under the same workflow id. The new execution skips the stages the run
 * finished and resumes the interrupted one from its newest valid checkpoint. Idempotent; one
 * pipeline worker at a time runs it, at start and then periodically (the {@link ReconcilerLeader}).
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final ObjectMapper JSON = Json.MAPPER;

  private final RunRepository repository;
  private final PipelineClient pipeline;

  public Reconciler(RunRepository repository, PipelineClient pipeline) {
    this.repository = repository;
    this.pipeline = pipeline;
  }

  /** Re-submits every orphaned run; returns their ids. */
  public List<String> reconcileOnce() {
    List<String> resubmitted = new ArrayList<>();
    for (RunRow run : repository.inFlightRuns()) {
      try {
        if (pipeline.isKnown(run.id())) {
          continue;
        }
        RunSpec spec = JSON.readValue(run.specJson(), RunSpec.class);
        pipeline.start(spec);
        resubmitted.add(run.id());
        LOG.warn(
            "run {} was {} in PostgreSQL but unknown to Temporal; re-submitted it (finished stages"
                + " are skipped, the interrupted one resumes from its checkpoints)",
            run.id(),
            run.status());
      } catch (WorkflowExecutionAlreadyStarted e) {
        // another worker re-submitted it first
      } catch (Exception e) {
        LOG.warn("could not reconcile run {}: {}", run.id(), e.toString());
      }
    }
    return resubmitted;
  }
}
