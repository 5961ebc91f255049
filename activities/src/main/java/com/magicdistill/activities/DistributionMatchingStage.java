package com.magicdistill.activities;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistillationStages;
import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.workflows.DistributionMatchingOutputs;
import com.magicdistill.workflows.FineTuneOutputs;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The two distribution-matching stages ({@link DistillationStages}) on the fine-tuned teacher and
 * the kept clips: see {@link DmdLoraStage} and {@link W2sStage}. Outputs: {@link
 * DistributionMatchingOutputs}.
 */
abstract class DistributionMatchingStage implements Stage {
  /** The engine config of this stage. */
  abstract DistillConfig config(StageSettings settings);

  /** The stage prefix this one continues from, or null. */
  abstract String initFrom(StageRequest request);

  @Override
  public StageOutputs run(StageRequest request, StageContext ctx) throws IOException {
    DistillConfig cfg = config(ctx.settings());
    String init = initFrom(request);
    // Steps count generator iterations as the engine does: W2S continues DMD-LoRA's count.
    ctx.totalSteps(cfg.iterations() + (init == null ? 0 : ctx.settings().dmd().iterations()));
    var reader =
        StageData.download(
            ctx.store(), request.input(FineTuneOutputs.DATA), ctx.workDir().resolve("data"));
    var kept = StageData.clips(reader.readKept());
    String prefix = ctx.prefix();
    try (NDManager root = NDManager.newBaseManager()) {
      var teacher =
          ModelCheckpoints.loadEma(ctx.store(), request.input(FineTuneOutputs.TEACHER), root);
      var result =
          DistillationStages.stage(
              cfg,
              teacher,
              kept,
              root,
              init,
              0,
              new CheckpointedRun<>(
                  ctx.store(), prefix, true, ctx.distillListener(0), ctx.control()));
      if (result.stopped()) {
        return null;
      }
      List<DistributionMatching.IterationStats> stats = result.stats();
      double last = stats.isEmpty() ? Double.NaN : stats.get(stats.size() - 1).generatorLoss();
      return new DistributionMatchingOutputs(
              prefix, result.generatorCheckpoint(), result.criticCheckpoint())
          .withMetrics(Double.isFinite(last) ? Map.of("generator_loss", last) : Map.of());
    }
  }
}
