package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.distill.GradientAlignment;
import com.magicdistill.engine.train.StepStats;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.StageHeartbeat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Heartbeats from a timer, the workflow's stop request, the stall detector, what beats carry. */
@Timeout(120)
class StageContextTest extends EmbeddedRepositoryTest {
  private static final Duration BEAT_EVERY = Duration.ofMillis(50);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @BeforeAll
  static void registerRun() {
    RunBookkeepingImpl.register(repos, RunSpecs.forPreset("smoke", "r-ctx"), "test");
  }

  private static StageContext context(
      List<StageHeartbeat> beats, boolean keepGoing, Duration stallLimit)
      throws java.io.IOException {
    long attempt = repos.stages().startAttempt("r-ctx", "dmd-lora", 1, "w", 0, null);
    return new StageContext(
        RunSpecs.forPreset("smoke", "r-ctx"),
        PipelineStage.DMD_LORA,
        new LocalDirectoryStore(dir.resolve("s3")),
        repos,
        attempt,
        b -> {
          beats.add(b);
          return keepGoing;
        },
        new WorkerDrain(),
        dir,
        new HeartbeatPump.Timing(BEAT_EVERY, stallLimit));
  }

  /** Polls {@code condition} until it holds; fails with {@code what} after {@link #WAIT}. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + WAIT + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  private static StageHeartbeat last(List<StageHeartbeat> beats) {
    return beats.isEmpty() ? null : beats.get(beats.size() - 1);
  }

  @Test
  void beatsCarryProgressAndAStopRequestReachesTheEngine() throws Exception {
    List<StageHeartbeat> beats = new CopyOnWriteArrayList<>();
    try (StageContext ctx = context(beats, false, Duration.ofMinutes(30))) {
      ctx.phaseListener("base", 0).onStep(new StepStats(4, 0.5f, 1f, 1e-3f, 10));
      await("a beat with step 5", () -> last(beats) != null && last(beats).step() == 5);
      await("the sink's answer reaches the stop flag", ctx::shouldStop);
      assertTrue(ctx.shouldStop(), "the sink said stop");
      assertTrue(ctx.stopRequestedByWorkflow());
      assertEquals(5, last(beats).step());
      assertEquals(0.5, last(beats).loss(), 1e-6);
    }
    assertTrue(
        repos.metrics().metrics("r-ctx", "dmd-lora", "base.loss").stream()
            .anyMatch(p -> p.step() == 5),
        "the step's loss reached the metrics table");
  }

  @Test
  void aDistillationStageBeatsTheCriticLossNotTheSurrogate() throws Exception {
    List<StageHeartbeat> beats = new CopyOnWriteArrayList<>();
    try (StageContext ctx = context(beats, true, Duration.ofMinutes(30))) {
      ctx.distillListener(10)
          .onIteration(new DistributionMatching.IterationStats(3, 0f, 0.75f, 2.5f, 10));
      ctx.distillListener(10).onAlignment(new GradientAlignment(3, 0.25f, 0.97, 0.8));
      await("a beat with step 13", () -> last(beats) != null && last(beats).step() == 13);
      assertEquals(0.75, last(beats).loss(), 1e-6, "the critic's loss, not the 0 surrogate");
      assertFalse(ctx.shouldStop());
    }
    assertEquals(
        2.5,
        repos.metrics().metrics("r-ctx", "dmd-lora", "generator.grad_norm").stream()
            .filter(p -> p.step() == 13)
            .findFirst()
            .orElseThrow()
            .value(),
        1e-6);
    for (var metric :
        java.util.Map.of("alignment.cos", 0.97, "alignment.one_minus_alpha", 0.75).entrySet()) {
      assertEquals(
          metric.getValue(),
          repos.metrics().metrics("r-ctx", "dmd-lora", metric.getKey()).stream()
              .filter(p -> p.step() == 13)
              .findFirst()
              .orElseThrow()
              .value(),
          1e-6,
          metric.getKey());
    }
  }

  @Test
  void aStalledTrainingLoopStopsHeartbeating() throws Exception {
    Duration stallLimit = Duration.ofSeconds(1);
    List<StageHeartbeat> beats = new CopyOnWriteArrayList<>();
    try (StageContext ctx = context(beats, true, stallLimit)) {
      await("alive before any step (data preparation)", () -> beats.size() >= 3);
      ctx.phaseListener("base", 0).onStep(new StepStats(0, 0.5f, 1f, 1e-3f, 10));
      long stepped = System.nanoTime();
      await("beats go on after a step", () -> last(beats).step() == 1);
      // Past the stall limit (with room for a beat already under way): no further beats.
      long quiet = stepped + stallLimit.toNanos() + Duration.ofMillis(500).toNanos();
      await("the stall limit passes", () -> System.nanoTime() > quiet);
      int afterStall = beats.size();
      long later = System.nanoTime() + 20 * BEAT_EVERY.toNanos();
      await("20 beat intervals pass", () -> System.nanoTime() > later);
      assertEquals(afterStall, beats.size(), "no heartbeats while stalled");
      assertFalse(ctx.shouldStop());
    }
  }
}
