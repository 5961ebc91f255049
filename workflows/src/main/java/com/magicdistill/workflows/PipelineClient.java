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
import java.time.Instant;
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
    return heartbeat(runId)
        .map(h -> new Progress(run, h.details(), h.attempt(), h.worker()))
        .orElse(new Progress(run, null, 0, null));
  }

  /**
   * The running stage activity as the Temporal service records it: its last heartbeat details,
   * attempt, last worker and when it last beat.
   *
   * @param details the stage's last heartbeat, or null before the first
   * @param lastBeatAt when the service last received a heartbeat, or null
   * @param state Temporal's pending activity state (SCHEDULED, STARTED, CANCEL_REQUESTED)
   */
  public record LiveHeartbeat(
      StageHeartbeat details, int attempt, String worker, Instant lastBeatAt, String state) {}

  /**
   * The running stage's heartbeat from DescribeWorkflowExecution only: unlike {@link #progress} it
   * needs no worker to answer a query, so it works while every worker is busy or gone. Empty when
   * no stage activity is pending.
   */
  public Optional<LiveHeartbeat> heartbeat(String runId) {
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
      Instant beat =
          a.hasLastHeartbeatTime()
              ? Instant.ofEpochSecond(
                  a.getLastHeartbeatTime().getSeconds(), a.getLastHeartbeatTime().getNanos())
              : null;
      String worker = a.getLastWorkerIdentity().isEmpty() ? null : a.getLastWorkerIdentity();
      return Optional.of(new LiveHeartbeat(hb, a.getAttempt(), worker, beat, a.getState().name()));
    }
    return Optional.empty();
  }

  /**
   * How many workers polled {@code taskQueue} for activities recently (DescribeTaskQueue), and the
   * newest poll time (null when none).
   */
  public record QueuePollers(String taskQueue, int pollers, Instant lastAccess) {}

  public QueuePollers pollers(String taskQueue) {
    var r =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeTaskQueue(
                io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setTaskQueue(
                        io.temporal.api.taskqueue.v1.TaskQueue.newBuilder()
                            .setName(taskQueue)
                            .build())
                    .setTaskQueueType(
                        io.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                    .build());
    Instant last = null;
    for (var p : r.getPollersList()) {
      Instant t =
          Instant.ofEpochSecond(
              p.getLastAccessTime().getSeconds(), p.getLastAccessTime().getNanos());
      if (last == null || t.isAfter(last)) {
        last = t;
      }
    }
    return new QueuePollers(taskQueue, r.getPollersCount(), last);
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
