package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.DistillPreset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a results file records about how it was made. */
class RecordedCommandTest {
  @Test
  void thePaperTableCommandHasEveryOptionThatChangesTheResults() {
    DistillPreset p = DistillPreset.byName("smoke").withGeneratorLr(2e-4f).withAlphaWeak(0.5f);
    String command =
        new PaperTableBenchmark(p, Path.of("out"), Path.of("work"), Path.of("t/teacher"), null)
            .command();
    assertEquals(
        "./magic bench paper-table --preset smoke --teacher t/teacher --seeds 1 --alpha-weak 0.5"
            + " --generator-lr 2.0E-4 --backward-simulation false --gan false --dmd-iterations 12"
            + " --w2s-iterations 12 --probe-every 6 --results out --work work",
        command);
    String trained =
        new PaperTableBenchmark(
                DistillPreset.byName("smoke"), Path.of("out"), Path.of("w"), null, null)
            .command();
    assertFalse(trained.contains("--teacher"), trained);
    assertTrue(trained.contains("--alpha-weak 0.25"), trained);
    DistillPreset v2 = DistillPreset.byName("paper-v2");
    String seeded =
        new PaperTableBenchmark(
                v2.withDmd(v2.dmd().withGan(true)), 3, Path.of("out"), Path.of("w"), null, null)
            .command();
    assertTrue(seeded.startsWith("./magic bench paper-table --preset paper-v2 "), seeded);
    assertTrue(seeded.contains(" --seeds 3 "), seeded);
    assertTrue(seeded.contains(" --generator-lr 5.0E-5 "), seeded);
    assertTrue(seeded.contains(" --gan true "), seeded);
  }

  @Test
  void aTableOfAnX0TeacherIsNamedApartFromThePresetsOwn() throws Exception {
    DistillPreset v2 = DistillPreset.byName("paper-v2");
    Path fixtures = CommittedResultsTest.resultsDir().getParent().resolve("fixtures");
    assertEquals(
        "paper-table-paper-v2-x0",
        new PaperTableBenchmark(
                v2, 3, Path.of("out"), Path.of("w"), fixtures.resolve("teacher-paper-v2-x0"), null)
            .resultsName());
    assertEquals(
        "paper-table-paper-v2",
        new PaperTableBenchmark(
                v2, 3, Path.of("out"), Path.of("w"), fixtures.resolve("teacher-paper-v2"), null)
            .resultsName());
    assertEquals(
        "paper-table-paper-v2",
        new PaperTableBenchmark(v2, 3, Path.of("out"), Path.of("w"), null, null).resultsName());
  }

  @Test
  void paperPresetsDefaultToThreeTrainingSeedsAndTinyExercisesSeveral() {
    assertEquals(3, PaperTableBenchmark.defaultSeeds("paper"));
    assertEquals(3, PaperTableBenchmark.defaultSeeds("paper-v2"));
    assertTrue(PaperTableBenchmark.defaultSeeds("tiny") >= 2);
  }

  @Test
  void theSwitchesOfTheRunAreRecordedAndEachSeedTrainsWithItsOwnSeeds() {
    DistillPreset v2 = DistillPreset.byName("paper-v2");
    var bench = new PaperTableBenchmark(v2, 3, Path.of("out"), Path.of("w"), null, null);
    var switches = bench.switches();
    // issue 11 step 3's settings (docs/EVALUATION.md#collapse-study)
    assertEquals(0.9f, switches.get("beta1"));
    assertEquals(3.0, switches.get("score_shift"));
    assertEquals(5e-5f, switches.get("generator_lr"));
    assertEquals(5, switches.get("critic_updates"));
    assertEquals(false, switches.get("backward_simulation"));
    assertEquals(false, switches.get("gan"));
    assertEquals(3, switches.get("seeds"));
    assertEquals(5.0, switches.get("lcm_shift"));
    // the collapse study's lengths (docs/EVALUATION.md#collapse-study)
    assertEquals(300, switches.get("dmd_iterations"));
    assertEquals(2000, switches.get("w2s_iterations"));
    java.util.Set<Long> distill = new java.util.HashSet<>();
    java.util.Set<Long> lcm = new java.util.HashSet<>();
    for (int k = 0; k < 3; k++) {
      var stages = bench.seed(k).stages();
      assertEquals(stages.dmd().seed(), stages.w2s().seed(), "W2S continues the seed's DMD stage");
      assertEquals(0.9f, stages.w2s().beta1());
      assertEquals(3.0, stages.control().scoreShift());
      distill.add(stages.dmd().seed());
      distill.add(stages.dmd().seed() + 1); // the critic's optimiser
      lcm.add(bench.seed(k).lcm().seed());
    }
    assertEquals(6, distill.size(), "no seed shares a stream with another: " + distill);
    assertEquals(3, lcm.size());
    // Seed 0 is the single run's: the committed paper preset's stages are unchanged.
    DistillPreset paper = DistillPreset.byName("paper");
    var one = new PaperTableBenchmark(paper, 1, Path.of("out"), Path.of("w"), null, null);
    assertEquals(paper.stages(), one.seed(0).stages());
    assertEquals(paper.lcm(), one.seed(0).lcm());
    assertEquals("", one.seed(0).prefix(), "seed 0's checkpoints where a single run put them");
    assertEquals("seed-2/", bench.seed(2).prefix());
    assertEquals(0f, paper.dmd().beta1(), "paper keeps its committed settings");
  }

  @Test
  void aTemporaryWorkFolderTheCommandMadeIsNotRecorded() throws Exception {
    Path made = java.nio.file.Files.createTempDirectory(BenchResults.TEMPORARY_WORK_PREFIX + "x-");
    try {
      assertEquals("", BenchResults.workOption(made));
      assertEquals(" --work work", BenchResults.workOption(Path.of("work")));
      Path other = java.nio.file.Files.createTempDirectory("given-");
      assertEquals(" --work " + other, BenchResults.workOption(other));
      java.nio.file.Files.delete(other);
    } finally {
      java.nio.file.Files.delete(made);
    }
  }

  @Test
  void onlyChangesOutsideTheResultsFolderMakeTheTreeDirty() {
    assertFalse(CodeRevision.isDirty(""));
    assertFalse(
        CodeRevision.isDirty(
            " M bench/results/pipeline.json\n?? bench/results/teacher-smoke.md\n"));
    assertTrue(CodeRevision.isDirty(" M bench/results/pipeline.json\n M engine/pom.xml\n"));
    assertTrue(CodeRevision.isDirty("?? engine/src/main/java/New.java\n"));
  }

  @Test
  void theCodeRevisionNamesTheCommitOfThisCheckout() {
    CodeRevision r = CodeRevision.current();
    assertTrue(r.commit().matches("[0-9a-f]{40}"), r.toString());
    assertTrue(r.dirty() != null && r.build() != null, r.toString());
  }
}
