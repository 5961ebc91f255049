package com.magicdistill.activities;

import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.workflows.StageRequest;

/**
 * Stage 2, DMD-LoRA (docs/ALGORITHM.md#dmd-lora): DMD2 from the teacher with the fake score model =
 * frozen teacher + LoRA (alphaWeak 0). Its final generator is the DMD2 baseline.
 */
final class DmdLoraStage extends DistributionMatchingStage {
  @Override
  DistillConfig config(StageSettings settings) {
    return settings.distillation().dmd();
  }

  @Override
  String initFrom(StageRequest request) {
    return null;
  }
}
