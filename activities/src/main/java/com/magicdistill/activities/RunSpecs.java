package com.magicdistill.activities;

import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.eval.Bootstrap;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.TaskQueues;
import java.util.Map;

/** Run specs filled in from the engine's presets (every hyperparameter explicit). */
public final class RunSpecs {
  private RunSpecs() {}

  /**
   * The spec of a run on preset {@code preset} (smoke or paper) with the preset's defaults:
   * synthetic data, a pretrained base, every stage on the {@code gpu} queue.
   */
  public static RunSpec forPreset(String preset, String runId) {
    EnginePreset e = EnginePreset.byName(preset);
    DistillPreset d = DistillPreset.byName(preset);
    DistillConfig dmd = d.dmd();
    return new RunSpec(
        runId,
        preset + " run",
        preset,
        new RunSpec.DataSpec(RunSpec.DataSpec.SYNTHETIC, null),
        "pretrain",
        new RunSpec.FineTuneSpec(
            e.base().steps(), e.finetune().steps(), e.finetune().lr(), e.batchSize()),
        new RunSpec.DistillSpec(
            dmd.iterations(),
            d.w2sIterations(),
            dmd.criticUpdates(),
            dmd.batchSize(),
            dmd.generatorLr(),
            dmd.criticLr(),
            dmd.loraRank(),
            d.alphaWeak(),
            dmd.alphaStrong(),
            dmd.regression(),
            dmd.gan()),
        new RunSpec.ExportSpec("w2s4"),
        new RunSpec.EvaluateSpec(
            e.heldOutClips(),
            Math.min(RunSpec.EvaluateSpec.DEFAULT_SAMPLE_CLIPS, e.heldOutClips()),
            Bootstrap.DEFAULT_RESAMPLES),
        new RunSpec.CheckpointSpec(
            Math.max(1, dmd.checkpointEvery()), "smoke".equals(preset) ? 0 : 300, 3, 1),
        Map.of(),
        TaskQueues.GPU,
        "smoke".equals(preset) ? 10 : 60,
        null,
        null,
        RunSpec.RetrySpec.DEFAULT);
  }
}
