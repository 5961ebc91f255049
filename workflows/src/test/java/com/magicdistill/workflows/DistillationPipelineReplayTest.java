package com.magicdistill.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Histories replay against this code: ones recorded by the code before bookkeeping became local
 * activities, before a stage made fewer bookkeeping calls, before a stage's success went with the
 * next bookkeeping call and before preparing the run looked up its first stage (runs in flight
 * during an upgrade, docs/PIPELINE.md) and ones of this code. {@code -Dcapture.histories=<folder>}
 * writes this code's histories there (to commit a new version's).
 */
class DistillationPipelineReplayTest {
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final DistillationPipelineTest.FakeStages stages =
      new DistillationPipelineTest.FakeStages();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker pipeline = env.newWorker(TaskQueues.PIPELINE);
    pipeline.registerWorkflowImplementationTypes(DistillationPipelineImpl.class);
    pipeline.registerActivitiesImplementations(new DistillationPipelineTest.FakeBooks());
    env.newWorker(TaskQueues.GPU).registerActivitiesImplementations(stages);
    env.newWorker("cpu").registerActivitiesImplementations(stages);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private static String resource(String name) throws Exception {
    try (InputStream in =
        DistillationPipelineReplayTest.class.getResourceAsStream("/histories/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void historiesOfRemoteBookkeepingStillReplay() throws Exception {
    for (String name :
        new String[] {"remote-bookkeeping-ok.json", "remote-bookkeeping-error.json"}) {
      WorkflowReplayer.replayWorkflowExecution(resource(name), DistillationPipelineImpl.class);
    }
  }

  @Test
  void historiesOfLocalBookkeepingBeforeFewerCallsStillReplay() throws Exception {
    for (String name : new String[] {"local-bookkeeping-ok.json", "local-bookkeeping-error.json"}) {
      WorkflowReplayer.replayWorkflowExecution(resource(name), DistillationPipelineImpl.class);
    }
  }

  @Test
  void historiesOfFewerCallsBeforeSuccessWentWithTheNextCallStillReplay() throws Exception {
    for (String name : new String[] {"fewer-calls-ok.json", "fewer-calls-error.json"}) {
      WorkflowReplayer.replayWorkflowExecution(resource(name), DistillationPipelineImpl.class);
    }
  }

  @Test
  void historiesOfSuccessWithNextCallBeforePrepareLookedUpTheFirstStageStillReplay()
      throws Exception {
    for (String name :
        new String[] {"success-with-next-call-ok.json", "success-with-next-call-error.json"}) {
      WorkflowReplayer.replayWorkflowExecution(resource(name), DistillationPipelineImpl.class);
    }
  }

  @Test
  void historiesOfThisCodeReplay() throws Exception {
    PipelineClient pc = new PipelineClient(client);
    pc.start(DistillationPipelineTest.spec("r-replay-ok"));
    assertEquals(RunStatus.SUCCEEDED, pc.await("r-replay-ok", Duration.ofMinutes(1)).status());
    stages.errorStage = "w2s";
    stages.errorTimes = 1;
    pc.start(DistillationPipelineTest.spec("r-replay-error"));
    assertEquals(RunStatus.SUCCEEDED, pc.await("r-replay-error", Duration.ofMinutes(1)).status());
    String capture = System.getProperty("capture.histories");
    for (String id : new String[] {"r-replay-ok", "r-replay-error"}) {
      var history = client.fetchHistory(id);
      WorkflowReplayer.replayWorkflowExecution(history, DistillationPipelineImpl.class);
      if (capture != null) {
        Files.writeString(Path.of(capture, id + ".json"), history.toJson(false));
      }
    }
  }
}
