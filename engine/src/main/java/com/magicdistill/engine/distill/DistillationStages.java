package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.CheckpointedRun;
import java.io.IOException;
import java.util.List;

/**
 * Distillation, the second and third recipe steps: the DMD-LoRA stage (plain DMD2, fake score =
 * frozen teacher + LoRA), then weak-to-strong matching continuing its generator, LoRA and optimiser
 * moments; the DMD2 control arm continues plain DMD from the same point for as many updates as W2S.
 * Each stage checkpoints under its run's prefix and is named after that prefix's last segment.
 *
 * @param dmd the DMD-LoRA stage's config ({@code alphaWeak = 0})
 * @param w2s the W2S stage's config
 */
public record DistillationStages(DistillConfig dmd, DistillConfig w2s) {

  /**
   * The recipe's stages from one config: DMD-LoRA as plain DMD2, W2S the same with {@code
   * alphaWeak} on the real model for {@code w2sIterations} generator updates.
   */
  public static DistillationStages of(DistillConfig config, float alphaWeak, int w2sIterations) {
    DistillConfig plain = config.plainDmd();
    return new DistillationStages(
        plain, plain.withAlphaWeak(alphaWeak).withIterations(w2sIterations));
  }

  /** The DMD2 control arm: W2S's settings without the weak LoRA on the real model. */
  public DistillConfig control() {
    return w2s.plainDmd();
  }

  /** The DMD-LoRA stage from the teacher. */
  public DistributionMatching.Result dmdLora(
      VideoDiT teacher,
      List<Clip> clips,
      NDManager root,
      int probeEvery,
      CheckpointedRun<DistributionMatching.Listener> run)
      throws IOException {
    return stage(dmd, teacher, clips, root, null, probeEvery, run);
  }

  /** The W2S stage, continuing the DMD-LoRA stage under {@code dmdLoraPrefix}. */
  public DistributionMatching.Result w2s(
      VideoDiT teacher,
      List<Clip> clips,
      NDManager root,
      String dmdLoraPrefix,
      int probeEvery,
      CheckpointedRun<DistributionMatching.Listener> run)
      throws IOException {
    return stage(w2s, teacher, clips, root, dmdLoraPrefix, probeEvery, run);
  }

  /**
   * One distribution-matching stage with {@code cfg} (one of these stages' configs or a variant,
   * e.g. {@link #control()}): builds the generator and fake score from {@code teacher} (owned by
   * {@code root}), tells the listener ({@link DistributionMatching.Listener#onStart}), and runs it,
   * continuing the finished stage under {@code initFrom} if not null.
   */
  public static DistributionMatching.Result stage(
      DistillConfig cfg,
      VideoDiT teacher,
      List<Clip> clips,
      NDManager root,
      String initFrom,
      int probeEvery,
      CheckpointedRun<DistributionMatching.Listener> run)
      throws IOException {
    DistillModels models = DistillModels.fromTeacher(teacher, cfg, root);
    if (run.listener() != null) {
      run.listener().onStart(models.generator());
    }
    String prefix = run.prefix();
    String name = prefix.substring(prefix.lastIndexOf('/') + 1);
    return new DistributionMatching(name, cfg).run(models, clips, initFrom, probeEvery, run);
  }
}
