package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.StageStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StageRepository} (stages and their attempts) against a real PostgreSQL. */
class StageRepositoryTest extends RepositoryTestBase {

  @Test
  void attemptsAreCountedByBudget() {
    repos.runs().createRun(run("r-budget", null));
    assertEquals(new AttemptCounts(0, 0), repos.stages().attemptCounts("r-budget"));
    AttemptOutcome[] outcomes = {
      AttemptOutcome.LOST,
      AttemptOutcome.DRAINED,
      AttemptOutcome.DRAINED,
      AttemptOutcome.FAILED,
      AttemptOutcome.PAUSED,
      AttemptOutcome.SUCCEEDED
    };
    for (int i = 0; i < outcomes.length; i++) {
      long id = repos.stages().startAttempt("r-budget", "w2s", i + 1, "w", 0, null);
      repos.stages().endAttempt(id, outcomes[i], 1L, null);
    }
    assertEquals(new AttemptCounts(3, 1), repos.stages().attemptCounts("r-budget"));
  }

  @Test
  void stagesRoundTripByOrdinal() throws Exception {
    repos.runs().createRun(run("r-stages", null));
    List<String> slugs = List.of("fine-tune", "dmd-lora", "w2s", "export", "evaluate");
    for (int i = slugs.size() - 1; i >= 0; i--) {
      repos.stages().upsertStage("r-stages", slugs.get(i), i, StageStatus.PENDING);
    }
    repos.stages().upsertStage("r-stages", "fine-tune", 0, StageStatus.REUSED);
    repos.stages().startStage("r-stages", "dmd-lora", "cache-abc", 400);
    repos
        .stages()
        .finishStage(
            "r-stages", "dmd-lora", StageStatus.SUCCEEDED, "{\"lora\":\"runs/r/dmd-lora.st\"}");
    repos.stages().startStage("r-stages", "w2s", "cache-def", 200);

    List<StageRow> stages = repos.stages().stages("r-stages");
    assertEquals(slugs, stages.stream().map(StageRow::stage).toList());
    assertEquals(List.of(0, 1, 2, 3, 4), stages.stream().map(StageRow::ordinal).toList());

    assertEquals(StageStatus.REUSED, stages.get(0).status());
    StageRow dmd = stages.get(1);
    assertEquals(StageStatus.SUCCEEDED, dmd.status());
    assertEquals("cache-abc", dmd.cacheKey());
    assertEquals(400L, dmd.totalSteps());
    assertSameJson("{\"lora\":\"runs/r/dmd-lora.st\"}", dmd.outputsJson());
    assertNotNull(dmd.startedAt());
    assertNotNull(dmd.finishedAt());
    StageRow w2s = stages.get(2);
    assertEquals(StageStatus.RUNNING, w2s.status());
    assertNotNull(w2s.startedAt());
    assertNull(w2s.finishedAt());
    assertNull(w2s.outputsJson());
    assertNull(stages.get(3).totalSteps());
  }

  @Test
  void startingAMissingStageFailsClearly() {
    repos.runs().createRun(run("r-nostage", null));
    var e =
        assertThrows(
            RepositoryException.class,
            () -> repos.stages().startStage("r-nostage", "w2s", "k", 10));
    assertTrue(
        e.getMessage().contains("r-nostage")
            && e.getMessage().contains("w2s")
            && e.getMessage().contains("upsertStage"),
        e.getMessage());
  }

  @Test
  void laterAttemptFencesOutTheEarlierOne() {
    repos.runs().createRun(run("r-fence", null));
    long first = repos.stages().startAttempt("r-fence", "w2s", 1, "worker-a", 0, null);
    long other = repos.stages().startAttempt("r-fence", "export", 1, "worker-a", 0, null);
    assertTrue(repos.stages().isNewestAttempt(first), "another stage's attempt does not fence");

    long second =
        repos
            .stages()
            .startAttempt("r-fence", "w2s", 2, "worker-b", 150, "runs/r-fence/w2s/150.ckpt");
    assertFalse(repos.stages().isNewestAttempt(first));
    assertTrue(repos.stages().isNewestAttempt(second));
    assertTrue(repos.stages().isNewestAttempt(other));

    var e = assertThrows(RepositoryException.class, () -> repos.stages().isNewestAttempt(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void attemptsRoundTripAndOlderRunningOnesAreMarkedLost() {
    repos.runs().createRun(run("r-attempts", null));
    long a1 = repos.stages().startAttempt("r-attempts", "fine-tune", 1, "worker-a", 0, null);
    long a2 =
        repos.stages().startAttempt("r-attempts", "fine-tune", 2, "worker-b", 100, "ckpt/100");
    repos.stages().endAttempt(a2, AttemptOutcome.PAUSED, 180L, null);
    long a3 =
        repos.stages().startAttempt("r-attempts", "fine-tune", 3, "worker-c", 180, "ckpt/180");
    repos.stages().markAttemptsLost("r-attempts", "fine-tune", a3);
    repos.stages().endAttempt(a3, AttemptOutcome.SUCCEEDED, 300L, null);

    List<AttemptRow> attempts = repos.stages().attempts("r-attempts", "fine-tune");
    assertEquals(List.of(a1, a2, a3), attempts.stream().map(AttemptRow::id).toList());

    AttemptRow lost = attempts.get(0);
    assertEquals(AttemptOutcome.LOST, lost.outcome());
    assertEquals(1, lost.attempt());
    assertEquals("worker-a", lost.worker());
    assertEquals(0, lost.startStep());
    assertNull(lost.endStep());
    assertNull(lost.resumedFrom());
    assertNotNull(lost.endedAt());

    AttemptRow paused = attempts.get(1);
    assertEquals(AttemptOutcome.PAUSED, paused.outcome(), "only RUNNING attempts become LOST");
    assertEquals(100, paused.startStep());
    assertEquals(180L, paused.endStep());
    assertEquals("ckpt/100", paused.resumedFrom());

    AttemptRow done = attempts.get(2);
    assertEquals(AttemptOutcome.SUCCEEDED, done.outcome());
    assertEquals("r-attempts", done.runId());
    assertEquals("fine-tune", done.stage());
    assertEquals(300L, done.endStep());
    assertNotNull(done.startedAt());
    assertFalse(done.endedAt().isBefore(done.startedAt()));

    long failed = repos.stages().startAttempt("r-attempts", "w2s", 1, "worker-c", 0, null);
    repos.stages().endAttempt(failed, AttemptOutcome.FAILED, null, "NaN loss at step 12");
    AttemptRow f = repos.stages().attempts("r-attempts", "w2s").get(0);
    assertEquals("NaN loss at step 12", f.error());
    assertNull(f.endStep());
  }
}
