package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.magicdistill.engine.EnginePreset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --heads N}: the same model width with N heads, written apart from the preset's files. */
class HeadsOptionTest {
  @Test
  void noHeadsIsThePresetAndNHeadsKeepsTheWidth() {
    EnginePreset paper = EnginePreset.paperV2();
    assertSame(paper, new HeadsOption(null).apply(paper));
    EnginePreset four = new HeadsOption(4).apply(paper);
    assertEquals(4, four.model().heads());
    assertEquals(paper.model().withHeads(4), four.model());
    assertEquals(paper.model().dim(), four.model().dim());
    assertEquals("paper-v2", four.name());
  }

  @Test
  void resultsAndCommandsNameTheHeads() {
    Path dir = Path.of("results");
    assertEquals(
        "teacher-paper-v2-heads4",
        new TeacherBenchmark(EnginePreset.paperV2(), 4, dir, dir, Progress.NONE).resultsName());
    assertEquals(
        "teacher-paper-v2",
        new TeacherBenchmark(EnginePreset.paperV2(), dir, dir, Progress.NONE).resultsName());
    assertEquals(" --heads 4", new HeadsOption(4).commandSuffix());
    assertEquals("", new HeadsOption(null).commandSuffix());
  }

  @Test
  void aCountThatDoesNotDivideTheWidthIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new HeadsOption(3).apply(EnginePreset.paperV2()));
    assertEquals("--heads must divide the paper-v2 model's width 128 (got 3)", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new HeadsOption(0).apply(EnginePreset.paperV2()));
  }
}
