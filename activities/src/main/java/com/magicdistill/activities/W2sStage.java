package com.magicdistill.activities;

import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.workflows.DistributionMatchingOutputs;
import com.magicdistill.workflows.StageRequest;

/**
 * Stage 3, weak-to-strong distribution matching (docs/ALGORITHM.md#w2s): continues the DMD-LoRA
 * stage's generator and LoRA with the LoRA on the real model at alphaWeak and on the fake at
 * alphaStrong.
 */
final class W2sStage extends DistributionMatchingStage {
  @Override
  DistillConfig config(StageSettings settings) {
    return settings.distillation().w2s();
  }

  @Override
  String initFrom(StageRequest request) {
    return request.input(DistributionMatchingOutputs.DMD_LORA_STAGE);
  }
}
