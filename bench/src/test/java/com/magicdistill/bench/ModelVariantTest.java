package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.model.Prediction;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code --heads N --prediction P}: the same model width with N heads and/or another prediction
 * target, written apart from the preset's files.
 */
class ModelVariantTest {
  @Test
  void noVariantIsThePresetAndNHeadsKeepsTheWidth() {
    EnginePreset paper = EnginePreset.paperV2();
    assertSame(paper, ModelVariant.NONE.apply(paper));
    EnginePreset four = ModelVariant.heads(4).apply(paper);
    assertEquals(4, four.model().heads());
    assertEquals(paper.model().withHeads(4), four.model());
    assertEquals(paper.model().dim(), four.model().dim());
    assertEquals(Prediction.VELOCITY, four.model().prediction());
    assertEquals("paper-v2", four.name());
  }

  @Test
  void anX0VariantChangesOnlyThePrediction() {
    EnginePreset paper = EnginePreset.paperV2();
    EnginePreset x0 = new ModelVariant(null, Prediction.X0, false).apply(paper);
    assertEquals(Prediction.X0, x0.model().prediction());
    assertEquals(paper.model(), x0.model().withPrediction(Prediction.VELOCITY));
    EnginePreset both = new ModelVariant(4, Prediction.X0, false).apply(paper);
    assertEquals(paper.model().withHeads(4).withPrediction(Prediction.X0), both.model());
  }

  @Test
  void resultsAndCommandsNameTheVariant() {
    Path dir = Path.of("results");
    assertEquals(
        "teacher-paper-v2-heads4",
        new TeacherBenchmark(EnginePreset.paperV2(), ModelVariant.heads(4), dir, dir, Progress.NONE)
            .resultsName());
    assertEquals(
        "teacher-paper-v2-x0",
        new TeacherBenchmark(
                EnginePreset.paperV2(),
                new ModelVariant(null, Prediction.X0, false),
                dir,
                dir,
                Progress.NONE)
            .resultsName());
    assertEquals(
        "teacher-paper-v2",
        new TeacherBenchmark(EnginePreset.paperV2(), dir, dir, Progress.NONE).resultsName());
    assertEquals(" --heads 4", ModelVariant.heads(4).commandSuffix());
    assertEquals(
        " --heads 2 --prediction x0", new ModelVariant(2, Prediction.X0, false).commandSuffix());
    ModelVariant skip = new ModelVariant(null, Prediction.X0, true);
    assertEquals(" --prediction x0 --patch-skip", skip.commandSuffix());
    assertEquals("-x0-skip", skip.nameSuffix());
    assertTrue(skip.apply(EnginePreset.paperV2()).model().patchSkip());
    assertEquals("", ModelVariant.NONE.commandSuffix());
  }

  @Test
  void aCountThatDoesNotDivideTheWidthIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelVariant.heads(3).apply(EnginePreset.paperV2()));
    assertEquals("--heads must divide the paper-v2 model's width 128 (got 3)", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ModelVariant.heads(0).apply(EnginePreset.paperV2()));
  }
}
