package com.magicdistill.activities;

import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistillationStages;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.workflows.RunSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run spec resolved into the engine's configs: the preset supplies architecture, data and the
 * settings a spec does not carry (weight decay, EMA decay, seeds); the spec overrides the rest.
 */
public record StageSettings(
    EnginePreset preset,
    TrainConfig base,
    TrainConfig fineTune,
    DistillConfig dmd,
    DistillConfig w2s,
    int fineTuneBatchSize) {

  public static StageSettings of(RunSpec spec) {
    EnginePreset e = EnginePreset.byName(spec.preset());
    DistillPreset d = DistillPreset.byName(spec.preset());
    int every = spec.checkpoints().everySteps();
    RunSpec.FineTuneSpec f = spec.fineTune();
    TrainConfig base =
        RunSpecFields.BASE.build(
            () -> train(e.base(), Math.max(1, f.baseSteps()), e.base().lr(), every));
    TrainConfig fineTune =
        RunSpecFields.FINE_TUNE.build(() -> train(e.finetune(), f.steps(), f.lr(), every));
    RunSpec.DistillSpec s = spec.distill();
    DistillConfig dmd =
        RunSpecFields.DMD_LORA.build(
            () ->
                d.dmd()
                    .withIterations(s.dmdIterations())
                    .withCriticUpdates(s.criticUpdates())
                    .withBatchSize(s.batchSize())
                    .withGeneratorLr(s.generatorLr())
                    .withCriticLr(s.criticLr())
                    .withLoraRank(s.loraRank())
                    .withAlphaStrong(s.alphaStrong())
                    .withRegression(s.regression())
                    .withGan(s.gan())
                    .withCheckpointEvery(every)
                    .plainDmd());
    DistillationStages distill =
        RunSpecFields.W2S.build(() -> DistillationStages.of(dmd, s.alphaWeak(), s.w2sIterations()));
    return new StageSettings(e, base, fineTune, distill.dmd(), distill.w2s(), f.batchSize());
  }

  private static TrainConfig train(TrainConfig p, int steps, float lr, int checkpointEvery) {
    return new TrainConfig(
        steps,
        lr,
        Math.min(p.warmupSteps(), Math.max(1, steps / 5)),
        p.weightDecay(),
        p.beta1(),
        p.beta2(),
        p.eps(),
        p.gradClip(),
        p.emaDecay(),
        checkpointEvery,
        p.seed());
  }

  /** Base pretraining and the portrait fine-tune, as the fine-tune stage runs them. */
  public TeacherTraining teacherTraining() {
    return RunSpecFields.TEACHER_TRAINING.build(
        () ->
            new TeacherTraining(
                preset.model(),
                base,
                fineTune,
                preset.batchSize(),
                fineTuneBatchSize,
                preset.trainSampling()));
  }

  /** The DMD-LoRA and W2S stages. */
  public DistillationStages distillation() {
    return new DistillationStages(dmd, w2s);
  }

  /** Every resolved hyperparameter, for model cards and the stage cache key. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset.name());
    m.put("model", preset.model());
    m.put("base", base);
    m.put("fineTune", fineTune);
    m.put("dmd", dmd);
    m.put("w2s", w2s);
    return m;
  }
}
