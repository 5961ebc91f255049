package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.train.StepStats;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.StageHeartbeat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Heartbeats from a timer, the workflow's stop request, and the stall detector. */
class StageContextTest extends EmbeddedRepositoryTest {
  @BeforeAll
  static void registerRun() {
    RunBookkeepingImpl.register(repos, RunSpecs.forPreset("smoke", "r-ctx"), "test");
  }

  private static StageContext context(List<StageHeartbeat> beats, boolean keepGoing)
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
        dir);
  }

  @Test
  void beatsCarryProgressAndAStopRequestReachesTheEngine() throws Exception {
    List<StageHeartbeat> beats = new CopyOnWriteArrayList<>();
    try (StageContext ctx = context(beats, false)) {
      ctx.phaseListener("base", 0).onStep(new StepStats(4, 0.5f, 1f, 1e-3f, 10));
      Thread.sleep(1500);
      assertTrue(ctx.shouldStop(), "the sink said stop");
      assertTrue(ctx.stopRequestedByWorkflow());
      assertEquals(5, beats.get(beats.size() - 1).step());
      assertEquals(0.5, beats.get(beats.size() - 1).loss(), 1e-6);
    }
    assertTrue(
        repos.metrics().metrics("r-ctx", "dmd-lora", "base.loss").stream()
            .anyMatch(p -> p.step() == 5),
        "the step's loss reached the metrics table");
  }

  @Test
  void aStalledTrainingLoopStopsHeartbeating() throws Exception {
    List<StageHeartbeat> beats = new CopyOnWriteArrayList<>();
    try (StageContext ctx = context(beats, true).stallLimit(Duration.ofMillis(300))) {
      Thread.sleep(1200);
      int beforeFirstStep = beats.size();
      assertTrue(beforeFirstStep >= 1, "alive before any step (data preparation)");
      ctx.phaseListener("base", 0).onStep(new StepStats(0, 0.5f, 1f, 1e-3f, 10));
      Thread.sleep(2500); // no further step: stalled
      int afterStall = beats.size();
      Thread.sleep(2000);
      assertEquals(afterStall, beats.size(), "no heartbeats while stalled");
      assertFalse(ctx.shouldStop());
    }
  }
}
