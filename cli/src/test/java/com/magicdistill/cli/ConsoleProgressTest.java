package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.magicdistill.workflows.RunProgress;
import org.junit.jupiter.api.Test;

/** The suffix of a stage's bar: a meaningful loss, short on an 80-column terminal. */
class ConsoleProgressTest {
  @Test
  void aTrainingStageShowsItsLossAndNewestCheckpoint() {
    assertEquals(
        " loss 1.2346 ckpt 240",
        ConsoleProgress.stageSuffix(
            "fine-tune", RunProgress.State.RUNNING, 1.23456, 1, "runs/r/x", 240));
  }

  @Test
  void distillationStagesShowTheCriticLoss() {
    assertEquals(
        " critic loss 0.0834",
        ConsoleProgress.stageSuffix("dmd-lora", RunProgress.State.RUNNING, 0.0834, 1, null, 0));
    assertEquals(
        " critic loss 0.0834 ckpt 6",
        ConsoleProgress.stageSuffix("w2s", RunProgress.State.RUNNING, 0.0834, 1, "k", 6));
  }

  @Test
  void stateAndAttemptAppearOnlyWhenTheyAreNews() {
    assertEquals(
        " pausing loss 0.5000 attempt 2",
        ConsoleProgress.stageSuffix("fine-tune", RunProgress.State.PAUSING, 0.5, 2, null, 0));
    assertEquals(
        "",
        ConsoleProgress.stageSuffix(
            "fine-tune", RunProgress.State.RUNNING, Double.NaN, 1, null, 0));
  }
}
