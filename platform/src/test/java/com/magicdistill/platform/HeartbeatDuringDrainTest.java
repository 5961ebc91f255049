package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stage writing its drain checkpoint after SIGTERM keeps heartbeating to Temporal: the worker's
 * options let heartbeats through while it shuts down, so the attempt is not timed out by heartbeat
 * (and retried elsewhere) while the checkpoint is still being written.
 */
@Timeout(120)
class HeartbeatDuringDrainTest {
  static final CountDownLatch RUNNING = new CountDownLatch(1);
  static final CountDownLatch SHUTDOWN_BEGAN = new CountDownLatch(1);
  static final CountDownLatch SEEN = new CountDownLatch(1);
  static final AtomicReference<Throwable> REFUSED = new AtomicReference<>();

  @ActivityInterface
  public interface Checkpointing {
    String checkpointOnDrain();
  }

  /** Beats, waits for the worker's shutdown, beats again as a drain checkpoint is written. */
  public static final class CheckpointingImpl implements Checkpointing {
    @Override
    public String checkpointOnDrain() {
      var context = Activity.getExecutionContext();
      context.heartbeat("training");
      RUNNING.countDown();
      await(SHUTDOWN_BEGAN);
      try {
        context.heartbeat("writing drain checkpoint");
      } catch (ActivityWorkerShutdownException e) {
        REFUSED.set(e);
      }
      await(SEEN);
      return "drained";
    }

    private static void await(CountDownLatch latch) {
      try {
        latch.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @WorkflowInterface
  public interface Stage {
    @WorkflowMethod
    String run();
  }

  public static final class StageImpl implements Stage {
    @Override
    public String run() {
      return Workflow.newActivityStub(
              Checkpointing.class,
              ActivityOptions.newBuilder()
                  .setTaskQueue("gpu")
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setHeartbeatTimeout(Duration.ofSeconds(20))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build())
          .checkpointOnDrain();
    }
  }

  @Test
  void heartbeatsReachTemporalWhileTheWorkerShutsDown() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(port)) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      WorkerFactory factory = WorkerFactory.newInstance(client);
      var options = WorkerProcess.baseOptions(WorkerSettings.defaults(), true).build();
      factory.newWorker("stage-wf", options).registerWorkflowImplementationTypes(StageImpl.class);
      factory.newWorker("gpu", options).registerActivitiesImplementations(new CheckpointingImpl());
      factory.start();
      try {
        Stage stub =
            client.newWorkflowStub(
                Stage.class, WorkflowOptions.newBuilder().setTaskQueue("stage-wf").build());
        WorkflowExecution run = WorkflowClient.start(stub::run);
        assertTrue(RUNNING.await(30, TimeUnit.SECONDS), "the activity started");
        factory.shutdown(); // what WorkerProcess.close does on SIGTERM
        SHUTDOWN_BEGAN.countDown();

        String details = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !details.contains("drain checkpoint")) {
          Thread.sleep(200);
          details = lastHeartbeat(service, run);
        }
        SEEN.countDown();
        assertNull(REFUSED.get(), "the SDK refused a heartbeat during shutdown");
        assertTrue(
            details.contains("drain checkpoint"),
            "Temporal's last heartbeat of the attempt: " + details);
      } finally {
        SHUTDOWN_BEGAN.countDown();
        SEEN.countDown();
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
      }
    }
  }

  private static String lastHeartbeat(WorkflowServiceStubs service, WorkflowExecution run) {
    var described =
        service
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(run)
                    .build());
    StringBuilder out = new StringBuilder();
    for (PendingActivityInfo a : described.getPendingActivitiesList()) {
      a.getHeartbeatDetails()
          .getPayloadsList()
          .forEach(p -> out.append(p.getData().toStringUtf8()));
    }
    return out.toString();
  }
}
