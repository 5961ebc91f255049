package com.magicdistill.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.workflows.RunProgress.StageState;
import com.magicdistill.workflows.RunProgress.State;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workflow's control flow against fake activities on the in-process test server. */
class DistillationPipelineTest {
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final FakeStages stages = new FakeStages();
  private final FakeBooks books = new FakeBooks();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker pipeline = env.newWorker(TaskQueues.PIPELINE);
    pipeline.registerWorkflowImplementationTypes(DistillationPipelineImpl.class);
    pipeline.registerActivitiesImplementations(books);
    env.newWorker(TaskQueues.GPU).registerActivitiesImplementations(stages);
    env.newWorker("cpu").registerActivitiesImplementations(stages);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static RunSpec spec(String runId) {
    return new RunSpec(
        runId,
        "test",
        "smoke",
        new RunSpec.DataSpec("synthetic", null),
        "pretrain",
        new RunSpec.FineTuneSpec(4, 4, 1e-3f, 2),
        new RunSpec.DistillSpec(2, 2, 5, 2, 2e-5f, 1e-4f, 8, 0.25f, 1f, false, false),
        new RunSpec.ExportSpec("w2s4"),
        new RunSpec.EvaluateSpec(4),
        new RunSpec.CheckpointSpec(2, 0, 2, 1),
        Map.of("evaluate", "cpu"),
        TaskQueues.GPU,
        5,
        null,
        null);
  }

  @Test
  void runsTheFiveStagesInOrderPassingOutputsDownstream() throws Exception {
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-order"));
    RunResult result = pc.await("r-order", Duration.ofMinutes(1));
    assertEquals(RunStatus.SUCCEEDED, result.status());
    assertEquals(
        List.of("fine-tune", "dmd-lora", "w2s", "export", "evaluate"),
        stages.calls.stream().map(r -> r.stage().slug()).toList());
    StageRequest w2s = stages.calls.get(2);
    assertEquals("runs/r-order/fine-tune/out", w2s.input("fine-tune.out"));
    assertEquals("runs/r-order/dmd-lora/out", w2s.input("dmd-lora.out"));
    assertEquals("cpu", stages.queues.get("evaluate"), "evaluate ran on its configured queue");
    assertEquals("gpu", stages.queues.get("w2s"));
    assertEquals(RunStatus.SUCCEEDED, books.runStatus.get("r-order"));
    assertEquals(
        StageState.SUCCEEDED,
        pc.progress("r-order").run().stages().get("evaluate"),
        "query after the end");
  }

  @Test
  void completedReusedAndCachedStagesAreSkipped() throws Exception {
    books.done =
        new RunPlan(
            Map.of("fine-tune", outputs("runs/other/fine-tune/out")),
            Map.of("fine-tune", StageStatus.REUSED));
    books.cacheHits.add("dmd-lora");
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-skip"));
    assertEquals(RunStatus.SUCCEEDED, pc.await("r-skip", Duration.ofMinutes(1)).status());
    assertEquals(
        List.of("w2s", "export", "evaluate"),
        stages.calls.stream().map(r -> r.stage().slug()).toList());
    assertEquals("runs/other/fine-tune/out", stages.calls.get(0).input("fine-tune.out"));
    var progress = pc.progress("r-skip").run().stages();
    assertEquals(StageState.REUSED, progress.get("fine-tune"));
    assertEquals(StageState.CACHED, progress.get("dmd-lora"));
    assertEquals(StageStatus.CACHED, books.stageStatus.get("dmd-lora"));
  }

  @Test
  void pauseStopsTheStageAndResumeRunsItAgain() throws Exception {
    stages.blockStage = "dmd-lora";
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-pause"));
    waitFor(() -> stages.running.get());
    waitFor(() -> pc.progress("r-pause").heartbeat() != null);
    PipelineClient.Progress running = pc.progress("r-pause");
    assertEquals(1, running.heartbeat().step(), "the stage activity's heartbeat is merged in");
    assertEquals(10, running.heartbeat().totalSteps());
    assertEquals(State.RUNNING, running.run().state());
    assertEquals(StageState.RUNNING, running.run().stages().get("dmd-lora"));
    pc.pause("r-pause");
    waitFor(() -> pc.progress("r-pause").run().state() == State.PAUSED);
    assertEquals(StageState.PAUSED, pc.progress("r-pause").run().stages().get("dmd-lora"));
    assertEquals(RunStatus.PAUSED, books.runStatus.get("r-pause"));
    stages.blockStage = null;
    pc.resume("r-pause");
    assertEquals(RunStatus.SUCCEEDED, pc.await("r-pause", Duration.ofMinutes(1)).status());
    long dmdRuns = stages.calls.stream().filter(r -> r.stage() == PipelineStage.DMD_LORA).count();
    assertEquals(2, dmdRuns, "the paused stage ran again after resume");
  }

  @Test
  void cancelEndsTheRunCancelled() throws Exception {
    stages.blockStage = "w2s";
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-cancel"));
    waitFor(() -> stages.running.get());
    pc.cancel("r-cancel", "not needed");
    RunResult result = pc.await("r-cancel", Duration.ofMinutes(1));
    assertEquals(RunStatus.CANCELLED, result.status());
    assertEquals(StageStatus.CANCELLED, books.stageStatus.get("w2s"));
    assertEquals(State.CANCELLED, pc.progress("r-cancel").run().state());
    assertEquals("not needed", books.runError.get("r-cancel"));
  }

  @Test
  void aConfigErrorFailsTheRunWithoutRetries() {
    stages.failStage = "w2s";
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-fail"));
    var e =
        assertThrows(
            WorkflowFailedException.class, () -> pc.await("r-fail", Duration.ofMinutes(1)));
    assertTrue(rootMessage(e).contains("distill.alphaWeak"), rootMessage(e));
    assertEquals(1, stages.calls.stream().filter(r -> r.stage() == PipelineStage.W2S).count());
    assertEquals(RunStatus.FAILED, books.runStatus.get("r-fail"));
    assertEquals(StageStatus.FAILED, books.stageStatus.get("w2s"));
    assertEquals(PipelineFailures.STAGE_FAILED, ((ApplicationFailure) e.getCause()).getType());
  }

  @Test
  void anInvalidSpecIsRejectedBeforeAnythingStarts() {
    RunSpec bad =
        new RunSpec(
            "R!",
            "bad",
            "smoke",
            new RunSpec.DataSpec("ftp", null),
            "pretrain",
            new RunSpec.FineTuneSpec(0, -1, 1e-3f, 2),
            new RunSpec.DistillSpec(2, 2, 5, 2, 2e-5f, 1e-4f, 8, 1.5f, 1f, false, false),
            new RunSpec.ExportSpec("w2s4"),
            new RunSpec.EvaluateSpec(4),
            new RunSpec.CheckpointSpec(2, 0, 0, 1),
            Map.of("nope", "gpu"),
            TaskQueues.GPU,
            5,
            null,
            null);
    var e =
        assertThrows(InvalidRunSpecException.class, () -> new PipelineClient(client).start(bad));
    String m = e.getMessage();
    for (String field :
        List.of(
            "runId",
            "data.source",
            "fineTune.steps",
            "fineTune.baseSteps",
            "distill.alphaWeak",
            "checkpoints.keepLast",
            "taskQueues.nope")) {
      assertTrue(m.contains(field + " is invalid"), field + " missing from: " + m);
    }
    assertTrue(stages.calls.isEmpty());
    assertTrue(books.runStatus.isEmpty());
  }

  @Test
  void theWorkflowItselfRejectsAnInvalidSpec() {
    RunSpec bad = spec("r-bad").withReuse("r-bad", PipelineStage.W2S);
    var stub =
        client.newWorkflowStub(
            DistillationPipeline.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("r-bad")
                .setTaskQueue(TaskQueues.PIPELINE)
                .build());
    var e = assertThrows(WorkflowFailedException.class, () -> stub.run(bad));
    assertTrue(rootMessage(e).contains("reuse.runId is invalid"), rootMessage(e));
    assertTrue(stages.calls.isEmpty());
  }

  @Test
  void theProgressViewNamesEveryRecordedStatus() {
    for (RunStatus status : RunStatus.values()) {
      assertEquals(status.name(), State.of(status).name());
    }
    for (StageStatus status : StageStatus.values()) {
      assertEquals(status.name(), StageState.of(status).name());
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage();
  }

  private static StageOutputs outputs(String key) {
    return new StageOutputs(Map.of("out", key), Map.of("loss", 0.1));
  }

  private static void waitFor(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 30 s");
      }
      Thread.sleep(50);
    }
  }

  /** Stage activities that record their calls; one can block (heartbeating) until cancelled. */
  static final class FakeStages implements StageActivities {
    final List<StageRequest> calls = new CopyOnWriteArrayList<>();
    final Map<String, String> queues = new ConcurrentHashMap<>();
    final AtomicBoolean running = new AtomicBoolean();
    volatile String blockStage;
    volatile String failStage;

    @Override
    public StageOutputs runStage(StageRequest request) {
      calls.add(request);
      String slug = request.stage().slug();
      queues.put(slug, Activity.getExecutionContext().getInfo().getActivityTaskQueue());
      if (slug.equals(failStage)) {
        throw PipelineFailures.invalidConfig("distill.alphaWeak is invalid (got 2.0)");
      }
      while (slug.equals(blockStage)) {
        running.set(true);
        try {
          Activity.getExecutionContext().heartbeat(new StageHeartbeat(1, 10, null, 0, 0.5, 1));
          Thread.sleep(100);
        } catch (io.temporal.client.ActivityCompletionException e) {
          running.set(false);
          throw e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return outputs("runs/" + request.runId() + "/" + slug + "/out");
    }
  }

  /** Bookkeeping that remembers what it was told. */
  static final class FakeBooks implements RunBookkeeping {
    volatile RunPlan done = new RunPlan(Map.of(), Map.of());
    final List<String> cacheHits = new CopyOnWriteArrayList<>();
    final Map<String, RunStatus> runStatus = new ConcurrentHashMap<>();
    final Map<String, String> runError = new ConcurrentHashMap<>();
    final Map<String, StageStatus> stageStatus = new ConcurrentHashMap<>();

    @Override
    public RunPlan prepareRun(RunSpec spec) {
      return done;
    }

    @Override
    public CacheLookup lookupCache(StageRequest request) {
      String slug = request.stage().slug();
      return new CacheLookup(
          "key-" + slug, cacheHits.contains(slug) ? outputs("runs/cache/" + slug + "/out") : null);
    }

    @Override
    public void stageStatus(
        String runId,
        PipelineStage stage,
        StageStatus status,
        StageOutputs outputs,
        String cacheKey) {
      stageStatus.put(stage.slug(), status);
    }

    @Override
    public void runStatus(String runId, RunStatus status, String error) {
      runStatus.put(runId, status);
      if (error != null) {
        runError.put(runId, error);
      }
    }
  }
}
