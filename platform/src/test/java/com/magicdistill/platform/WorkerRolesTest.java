package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.db.Repositories;
import com.magicdistill.workflows.TaskQueues;
import com.zaxxer.hikari.HikariDataSource;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which task queues a worker of each role registers pollers on (never started: no server). */
class WorkerRolesTest {
  @TempDir Path scratch;

  // Lazy stubs: nothing connects until a worker starts polling, which these tests never do.
  private final WorkflowServiceStubs service =
      WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:1").build());

  // Lazy too: its pool starts on the first getConnection, which registering never calls.
  private final HikariDataSource unused = new HikariDataSource();

  @AfterEach
  void close() {
    service.shutdownNow();
    unused.close();
  }

  private WorkerProcess worker(WorkerRole role) {
    return new WorkerProcess(
        WorkflowClient.newInstance(service),
        true,
        Repositories.of(unused),
        null,
        unused,
        WorkerSettings.defaults(),
        role,
        List.of(TaskQueues.GPU, "gpu-fallback"),
        2,
        scratch,
        "w-test");
  }

  @Test
  void stageWorkerPollsOnlyStageQueues() {
    WorkerProcess w = worker(WorkerRole.STAGES);
    assertFalse(w.polls(TaskQueues.PIPELINE), "a stage worker must not poll the pipeline queue");
    assertTrue(w.polls(TaskQueues.GPU));
    assertTrue(w.polls("gpu-fallback"));
    assertEquals(List.of(TaskQueues.GPU, "gpu-fallback"), w.servedQueues());
  }

  @Test
  void pipelineWorkerPollsOnlyThePipelineQueue() {
    WorkerProcess w = worker(WorkerRole.PIPELINE);
    assertTrue(w.polls(TaskQueues.PIPELINE));
    assertFalse(w.polls(TaskQueues.GPU), "a pipeline worker must not run stages");
    assertEquals(List.of(TaskQueues.PIPELINE), w.servedQueues());
  }

  @Test
  void allPollsBoth() {
    WorkerProcess w = worker(WorkerRole.ALL);
    assertEquals(List.of(TaskQueues.PIPELINE, TaskQueues.GPU, "gpu-fallback"), w.servedQueues());
    assertTrue(w.polls(TaskQueues.PIPELINE));
    assertTrue(w.polls(TaskQueues.GPU));
  }

  @Test
  void roleParsesAndNamesTheFlag() {
    assertEquals(WorkerRole.STAGES, WorkerRole.parse("stages"));
    assertEquals(WorkerRole.PIPELINE, WorkerRole.parse(" Pipeline "));
    var e = assertThrows(IllegalArgumentException.class, () -> WorkerRole.parse("gpu"));
    assertTrue(e.getMessage().contains("--role"), e.getMessage());
    assertTrue(e.getMessage().contains("pipeline, stages or all"), e.getMessage());
  }
}
