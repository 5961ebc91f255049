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
        "./magic bench paper-table --preset smoke --teacher t/teacher --alpha-weak 0.5"
            + " --generator-lr 2.0E-4 --results out --work work",
        command);
    String trained =
        new PaperTableBenchmark(
                DistillPreset.byName("smoke"), Path.of("out"), Path.of("w"), null, null)
            .command();
    assertFalse(trained.contains("--teacher"), trained);
    assertTrue(trained.contains("--alpha-weak 0.25"), trained);
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
