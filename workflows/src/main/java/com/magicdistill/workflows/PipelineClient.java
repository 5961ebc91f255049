package com.magicdistill.workflows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * How the CLI, the console and other teams' code drive runs: start (validated first), progress (the
 * workflow's query merged with the running stage's heartbeat), pause, resume, cancel, await.
 */
public final class PipelineClient {
  /** The activity types of the stages, as Temporal names them ({@code RunStage}). */
  static final Set<String> STAGE_ACTIVITY_TYPES =
      POJOActivityInterfaceMetadata.newInstance(StageActivities.class).getMethodsMetadata().stream()
          .map(POJOActivityMethodMetadata::getActivityTypeName)
          .collect(Collectors.toUnmodifiableSet());

  private final WorkflowClient client;

  public PipelineClient(WorkflowClient client) {
    this.client = client;
  }

  /** Progress of a run: the workflow's view plus the running stage's last heartbeat (or null). */
  public record Progress(RunProgress run, StageHeartbeat heartbeat, int attempt, String worker) {}

  /**
   * Validates {@code spec} and starts its run; the workflow id is the run id.
   *
   * @throws InvalidRunSpecException naming every invalid field; nothing is started
   */
  public WorkflowExecution start(RunSpec spec) {
    spec.validate();
    DistillationPipeline stub =
        client.newWorkflowStub(
            DistillationPipeline.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(spec.runId())
                .setTaskQueue(TaskQueues.PIPELINE)
                .build());
    return WorkflowClient.start(stub::run, spec);
  }

  /** Whether Temporal knows a workflow for this run (a restarted test server knows none). */
  public boolean isKnown(String runId) {
    try {
      describe(runId);
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  public Progress progress(String runId) {
    RunProgress run = client.newWorkflowStub(DistillationPipeline.class, runId).progress();
    DescribeWorkflowExecutionResponse d = describe(runId);
    for (PendingActivityInfo a : d.getPendingActivitiesList()) {
      if (!STAGE_ACTIVITY_TYPES.contains(a.getActivityType().getName())) {
        continue;
      }
      StageHeartbeat hb =
          a.hasHeartbeatDetails()
              ? client
                  .getOptions()
                  .getDataConverter()
                  .fromPayloads(
                      0,
                      Optional.of(a.getHeartbeatDetails()),
                      StageHeartbeat.class,
                      StageHeartbeat.class)
              : null;
      return new Progress(run, hb, a.getAttempt(), a.getLastWorkerIdentity());
    }
    return new Progress(run, null, 0, null);
  }

  public void pause(String runId) {
    client.newWorkflowStub(DistillationPipeline.class, runId).pause();
  }

  public void resume(String runId) {
    client.newWorkflowStub(DistillationPipeline.class, runId).resume();
  }

  public void cancel(String runId, String reason) {
    client.newWorkflowStub(DistillationPipeline.class, runId).cancel(reason);
  }

  /** Waits for the run's result. */
  public RunResult await(String runId, Duration timeout) throws TimeoutException {
    WorkflowStub stub = client.newUntypedWorkflowStub(runId);
    return stub.getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, RunResult.class);
  }

  public WorkflowClient workflowClient() {
    return client;
  }

  private DescribeWorkflowExecutionResponse describe(String runId) {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId).build())
                .build());
  }
}
