package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import com.magicdistill.workflows.PipelineStage;
import org.junit.jupiter.api.Test;

/** Each stage's documented engine entry point is a real class (keeps the map true). */
class PipelineStageTest {
  @Test
  void everyStageNamesAnExistingEngineClass() {
    for (PipelineStage s : PipelineStage.values()) {
      assertDoesNotThrow(() -> Class.forName(s.engineEntryPoint()), s.slug());
    }
  }
}
