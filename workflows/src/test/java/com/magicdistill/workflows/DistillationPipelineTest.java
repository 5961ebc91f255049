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
    env.newWorker("on-demand").registerActivitiesImplementations(stages);
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
        null,
        null);
  }

  /** {@link #spec} with other budgets and heartbeat timeout. */
  static RunSpec spec(String runId, RunSpec.RetrySpec retries, int heartbeatSeconds) {
    RunSpec s = spec(runId);
    return new RunSpec(
        s.runId(),
        s.name(),
        s.preset(),
        s.data(),
        s.baseModel(),
        s.fineTune(),
        s.distill(),
        s.export(),
        s.evaluate(),
        s.checkpoints(),
        s.taskQueues(),
        s.defaultQueue(),
        heartbeatSeconds,
        null,
        null,
        retries);
  }

  @Test
  void aStageThatAlwaysFailsWithADataErrorFailsTheRunAfterThreeAttempts() {
    stages.errorStage = "dmd-lora";
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-error"));
    var e =
        assertThrows(
            WorkflowFailedException.class, () -> pc.await("r-error", Duration.ofMinutes(1)));
    assertEquals(3, stages.attempts("dmd-lora"), "the default error budget is 3 attempts");
    assertEquals(RunStatus.FAILED, books.runStatus.get("r-error"));
    assertEquals(StageStatus.FAILED, books.stageStatus.get("dmd-lora"));
    String error = books.runError.get("r-error");
    assertTrue(error.startsWith("dmd-lora: shard 3 is corrupt"), error);
    assertTrue(error.contains("retries.errorAttempts is 3"), error);
    assertTrue(rootMessage(e).contains("shard 3 is corrupt"), rootMessage(e));
    assertEquals(0, stages.attempts("w2s"), "no later stage ran");
  }

  @Test
  void theErrorBudgetComesFromTheSpec() {
    stages.errorStage = "w2s";
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-error1", new RunSpec.RetrySpec(1, 0, null), 5));
    assertThrows(WorkflowFailedException.class, () -> pc.await("r-error1", Duration.ofMinutes(1)));
    assertEquals(1, stages.attempts("w2s"));
  }

  @Test
  void aStageLostFiveTimesThenSucceedingDoesNotFailTheRun() throws Exception {
    stages.lostStage = "fine-tune";
    stages.lostTimes = 5;
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-lost", RunSpec.RetrySpec.DEFAULT, 1));
    assertEquals(RunStatus.SUCCEEDED, pc.await("r-lost", Duration.ofMinutes(3)).status());
    assertEquals(6, stages.attempts("fine-tune"), "five heartbeat timeouts, then success");
    assertEquals(RunStatus.SUCCEEDED, books.runStatus.get("r-lost"));
  }

  @Test
  void drainsNeverCountAgainstTheErrorBudget() throws Exception {
    stages.drainStage = "export";
    stages.drainTimes = 4;
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-drain"));
    assertEquals(RunStatus.SUCCEEDED, pc.await("r-drain", Duration.ofMinutes(3)).status());
    assertEquals(5, stages.attempts("export"));
  }

  @Test
  void afterKPreemptionsTheStageMovesToTheFallbackQueue() throws Exception {
    stages.lostStage = "w2s";
    stages.lostTimes = 3;
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-fallback", new RunSpec.RetrySpec(3, 2, "on-demand"), 1));
    assertEquals(RunStatus.SUCCEEDED, pc.await("r-fallback", Duration.ofMinutes(3)).status());
    assertEquals(
        List.of("gpu", "gpu", "on-demand", "on-demand"),
        stages.queuesOf("w2s"),
        "two preemptions on gpu, then every attempt on the fallback queue");
    assertEquals("gpu", stages.queues.get("dmd-lora"), "other stages stay on their queue");
  }

  @Test
  void preemptionsBeforeADataErrorCountTowardsTheFallback() throws Exception {
    stages.lostStage = "w2s";
    stages.lostTimes = 1;
    stages.errorStage = "w2s";
    stages.errorTimes = 1;
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-mixed", new RunSpec.RetrySpec(3, 1, "on-demand"), 1));
    assertEquals(RunStatus.SUCCEEDED, pc.await("r-mixed", Duration.ofMinutes(3)).status());
    assertEquals(List.of("gpu", "on-demand", "on-demand"), stages.queuesOf("w2s"));
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
    for (PipelineStage s : PipelineStage.values()) {
      assertEquals(StageStatus.SUCCEEDED, books.stageStatus.get(s.slug()), s.slug());
    }
    // one bookkeeping call to start (with the first lookup), one per stage boundary (a stage's
    // success goes with the next lookup), one to end
    assertEquals(
        List.of(
            "prepareRunThenLookup",
            "stageSucceededThenLookup",
            "stageSucceededThenLookup",
            "stageSucceededThenLookup",
            "stageSucceededThenLookup",
            "stageSucceededThenRunStatus"),
        books.calls);
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

  /**
   * The last stage returns its outputs although the cancel reached it (it had finished its work):
   * the cancel was accepted while the run ran, so the run still ends CANCELLED, the stage's success
   * recorded.
   */
  @Test
  void aCancelWhileTheLastStageFinishesStillEndsTheRunCancelled() throws Exception {
    stages.blockStage = "evaluate";
    stages.finishWhenCancelled = true;
    PipelineClient pc = new PipelineClient(client);
    pc.start(spec("r-cancel-late"));
    waitFor(() -> stages.running.get());
    pc.cancel("r-cancel-late", "too late?");
    RunResult result = pc.await("r-cancel-late", Duration.ofMinutes(1));
    assertEquals(RunStatus.CANCELLED, result.status());
    assertEquals(StageStatus.SUCCEEDED, books.stageStatus.get("evaluate"));
    assertEquals(State.CANCELLED, pc.progress("r-cancel-late").run().state());
    assertEquals("too late?", books.runError.get("r-cancel-late"));
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
    final List<String> attemptQueues = new CopyOnWriteArrayList<>();
    volatile String blockStage;
    // the blocked stage returns its outputs when cancelled (it finished before it learnt)
    volatile boolean finishWhenCancelled;
    volatile String failStage;
    // Throws a data error (errorTimes times, or always when 0).
    volatile String errorStage;
    volatile int errorTimes;
    // Its first lostTimes attempts stop heartbeating until the heartbeat timeout.
    volatile String lostStage;
    volatile int lostTimes;
    volatile String drainStage;
    volatile int drainTimes;

    long attempts(String slug) {
      return calls.stream().filter(r -> r.stage().slug().equals(slug)).count();
    }

    List<String> queuesOf(String slug) {
      return attemptQueues.stream()
          .filter(q -> q.startsWith(slug + "@"))
          .map(q -> q.substring(slug.length() + 1))
          .toList();
    }

    @Override
    public StageOutputs runStage(StageRequest request) {
      calls.add(request);
      String slug = request.stage().slug();
      var info = Activity.getExecutionContext().getInfo();
      queues.put(slug, info.getActivityTaskQueue());
      attemptQueues.add(slug + "@" + info.getActivityTaskQueue());
      long n = attempts(slug);
      if (slug.equals(failStage)) {
        throw PipelineFailures.invalidConfig("distill.alphaWeak is invalid (got 2.0)");
      }
      if (slug.equals(lostStage) && n <= lostTimes) {
        try {
          Thread.sleep(2_500); // past the 1 s heartbeat timeout, without a heartbeat
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("this attempt's worker is gone; nobody sees this");
      }
      long before = slug.equals(lostStage) ? lostTimes : 0;
      if (slug.equals(errorStage) && (errorTimes == 0 || n - before <= errorTimes)) {
        throw PipelineFailures.stageError(
            "shard 3 is corrupt",
            new IllegalStateException("shard 3 is corrupt"),
            info.getAttempt());
      }
      if (slug.equals(drainStage) && n <= drainTimes) {
        throw PipelineFailures.workerDraining("worker is shutting down");
      }
      while (slug.equals(blockStage)) {
        running.set(true);
        try {
          Activity.getExecutionContext().heartbeat(new StageHeartbeat(1, 10, null, 0, 0.5, 1));
          Thread.sleep(100);
        } catch (io.temporal.client.ActivityCompletionException e) {
          running.set(false);
          if (finishWhenCancelled) {
            break;
          }
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
    // the workflow's calls, by name, in order (the combined calls as one)
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public RunPlan prepareRun(RunSpec spec) {
      calls.add("prepareRun");
      return done;
    }

    @Override
    public RunPlan prepareRunThenLookup(RunSpec spec) {
      calls.add("prepareRunThenLookup");
      RunPlan plan = done;
      return plan.firstRequest(spec).map(r -> plan.withFirstLookup(lookupOrStart(r))).orElse(plan);
    }

    @Override
    public CacheLookup lookupCache(StageRequest request) {
      String slug = request.stage().slug();
      return new CacheLookup(
          "key-" + slug, cacheHits.contains(slug) ? outputs("runs/cache/" + slug + "/out") : null);
    }

    @Override
    public CacheLookup lookupCacheOrStart(StageRequest request) {
      calls.add("lookupCacheOrStart");
      return lookupOrStart(request);
    }

    private CacheLookup lookupOrStart(StageRequest request) {
      CacheLookup cache = lookupCache(request);
      if (cache.cached() != null && request.spec().cacheEnabled()) {
        return cache;
      }
      stageStatus.put(request.stage().slug(), StageStatus.RUNNING);
      return new CacheLookup(cache.cacheKey(), null);
    }

    @Override
    public void stageStatus(
        String runId,
        PipelineStage stage,
        StageStatus status,
        StageOutputs outputs,
        String cacheKey) {
      calls.add("stageStatus");
      stageStatus.put(stage.slug(), status);
    }

    @Override
    public void runStatus(String runId, RunStatus status, String error) {
      calls.add("runStatus");
      setRunStatus(runId, status, error);
    }

    private void setRunStatus(String runId, RunStatus status, String error) {
      runStatus.put(runId, status);
      if (error != null) {
        runError.put(runId, error);
      }
    }

    @Override
    public CacheLookup stageSucceededThenLookup(StageSuccess done, StageRequest next) {
      calls.add("stageSucceededThenLookup");
      stageStatus.put(done.stage().slug(), StageStatus.SUCCEEDED);
      return lookupOrStart(next);
    }

    @Override
    public void stageSucceededThenRunStatus(StageSuccess done, RunStatus status, String error) {
      calls.add("stageSucceededThenRunStatus");
      stageStatus.put(done.stage().slug(), StageStatus.SUCCEEDED);
      setRunStatus(done.runId(), status, error);
    }
  }
}
