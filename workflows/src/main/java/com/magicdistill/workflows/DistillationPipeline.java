package com.magicdistill.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The MagicDistillation pipeline as one durable workflow: fine-tune -> DMD-LoRA -> W2S -> export ->
 * evaluate, each stage one activity ({@link StageActivities}). The workflow id is the run id.
 */
@WorkflowInterface
public interface DistillationPipeline {
  @WorkflowMethod
  RunResult run(RunSpec spec);

  /** Run state, current stage and every stage's status. */
  @QueryMethod
  RunProgress progress();

  /** Stops the running stage at its next checkpoint and waits for {@link #resume()}. */
  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  /** Stops the running stage at its next checkpoint and ends the run as CANCELLED. */
  @SignalMethod
  void cancel(String reason);
}
