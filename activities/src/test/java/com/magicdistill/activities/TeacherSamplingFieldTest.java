package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.engine.train.TimestepSampling;
import org.junit.jupiter.api.Test;

/**
 * The teacher's timestep sampling is not a run-spec field: a pipeline user who hits an invalid
 * value is told it comes from the spec's {@code preset}.
 */
class TeacherSamplingFieldTest {
  @Test
  void anInvalidSamplingNamesThePresetField() {
    EnginePreset p = EnginePreset.smoke();
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RunSpecFields.TEACHER_TRAINING.build(
                    () ->
                        new TeacherTraining(
                            p.model(),
                            p.base(),
                            p.finetune(),
                            4,
                            4,
                            new TimestepSampling(3.0, 0.0, 1.5))));
    assertEquals(
        "the preset's firstFrameDropout (choose another preset) must be in [0, 1) (got 1.5): 0 for"
            + " none, 0.1 to allow guidance",
        e.getMessage());
  }
}
