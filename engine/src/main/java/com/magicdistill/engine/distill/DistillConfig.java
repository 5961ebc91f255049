package com.magicdistill.engine.distill;

import static com.magicdistill.engine.ConfigException.require;

import com.magicdistill.engine.train.TrainConfig;
import java.util.Set;

/**
 * Hyperparameters of distribution-matching distillation (docs/ALGORITHM.md#dmd-lora, #w2s),
 * recorded with every run.
 *
 * @param iterations generator updates of this stage
 * @param criticUpdates fake-score (LoRA) updates per generator update (two time-scale rule; 5)
 * @param batchSize clips per update
 * @param generatorLr generator learning rate
 * @param criticLr LoRA learning rate
 * @param beta1 Adam beta1 of both optimisers (0 in DMD2 / Self-Forcing)
 * @param beta2 Adam beta2
 * @param generatorEma EMA decay of the generator (0.99)
 * @param gradClip global gradient-norm clip of both optimisers (0 = off)
 * @param loraRank rank of the fake score model's LoRA
 * @param loraTargets linears that carry it (see DitConfig.ALL_TARGETS)
 * @param alphaWeak LoRA scale on the real model in W2S (0.25; 0 is plain DMD2)
 * @param alphaStrong LoRA scale on the fake model (1)
 * @param scoreSigmaMin lower end of the uniform score timestep (0.02)
 * @param scoreSigmaMax upper end (0.98)
 * @param scoreShift shift applied to the score timestep
 * @param backwardSimulation the generator's input at levels k >= 1 comes from its own rollout from
 *     pure noise (DMD2's backward simulation), not from a noised ground-truth clip
 * @param regression add the regression term g_reg = x_gen - x_gt (gradient of 0.5 ||x_gen -
 *     x_gt||^2), normalised like the DMD gradient
 * @param regressionWeight its weight
 * @param gan add the GAN head on intermediate DiT features
 * @param ganGeneratorWeight generator GAN weight (DMD2: 5e-3)
 * @param ganDiscriminatorWeight discriminator GAN weight (DMD2: 1e-2)
 * @param alignmentEvery generator updates between measurements of cos(g_W2S, g_DMD) on a fixed
 *     probe batch (docs/ALGORITHM.md#w2s-alignment; 0 = never)
 * @param alignmentAlpha alpha_weak of g_W2S in that measurement when this stage is plain DMD (a W2S
 *     stage measures its own alphaWeak)
 * @param checkpointEvery generator updates between checkpoints
 * @param seed seed of all randomness of the stage
 */
public record DistillConfig(
    int iterations,
    int criticUpdates,
    int batchSize,
    float generatorLr,
    float criticLr,
    float beta1,
    float beta2,
    float generatorEma,
    float gradClip,
    int loraRank,
    Set<String> loraTargets,
    float alphaWeak,
    float alphaStrong,
    double scoreSigmaMin,
    double scoreSigmaMax,
    double scoreShift,
    boolean backwardSimulation,
    boolean regression,
    float regressionWeight,
    boolean gan,
    float ganGeneratorWeight,
    float ganDiscriminatorWeight,
    int alignmentEvery,
    float alignmentAlpha,
    int checkpointEvery,
    long seed) {

  public DistillConfig {
    loraTargets = Set.copyOf(loraTargets);
    require(iterations > 0, "iterations", "be > 0", iterations, "a positive count");
    require(
        criticUpdates > 0, "criticUpdates", "be > 0", criticUpdates, "5 (the two time-scale rule)");
    require(batchSize > 0, "batchSize", "be > 0", batchSize, "a positive clip count");
    require(loraRank > 0, "loraRank", "be > 0", loraRank, "the fake score model needs a LoRA: 8");
    require(
        alphaWeak >= 0 && alphaWeak <= alphaStrong,
        "alphaWeak",
        "be in [0, alphaStrong=" + alphaStrong + "]",
        alphaWeak,
        "0.25 is the paper's best");
    require(alphaStrong > 0, "alphaStrong", "be > 0", alphaStrong, "1");
    require(
        scoreSigmaMin > 0 && scoreSigmaMin < scoreSigmaMax,
        "scoreSigmaMin",
        "be in (0, scoreSigmaMax=" + scoreSigmaMax + ")",
        scoreSigmaMin,
        "0.02");
    require(scoreSigmaMax < 1, "scoreSigmaMax", "be < 1", scoreSigmaMax, "0.98");
    require(scoreShift > 0, "scoreShift", "be > 0", scoreShift, "1 for no shift");
    require(
        alignmentEvery >= 0,
        "alignmentEvery",
        "be >= 0",
        alignmentEvery,
        "0 (never) or a positive count");
    require(
        alignmentAlpha > 0 && alignmentAlpha <= alphaStrong,
        "alignmentAlpha",
        "be in (0, alphaStrong=" + alphaStrong + "]",
        alignmentAlpha,
        "0.25, the paper's alpha_weak");
    require(
        checkpointEvery >= 0,
        "checkpointEvery",
        "be >= 0",
        checkpointEvery,
        "0 or a positive count");
  }

  /** The same settings for plain DMD2 (real model without LoRA). */
  public DistillConfig plainDmd() {
    return withAlphaWeak(0f);
  }

  public DistillConfig withAlphaWeak(float a) {
    return edit(b -> b.alphaWeak = a);
  }

  public DistillConfig withGeneratorLr(float lr) {
    return edit(b -> b.generatorLr = lr);
  }

  public DistillConfig withIterations(int n) {
    return edit(b -> b.iterations = n);
  }

  /** Adam beta1 of both optimisers. */
  public DistillConfig withBeta1(float b1) {
    return edit(b -> b.beta1 = b1);
  }

  /** Shift of the score timestep (docs/ALGORITHM.md#dmd-iteration, step 2). */
  public DistillConfig withScoreShift(double shift) {
    return edit(b -> b.scoreShift = shift);
  }

  public DistillConfig withRegression(boolean on) {
    return edit(b -> b.regression = on);
  }

  /** Generator inputs from its own rollout (docs/ALGORITHM.md#backward-simulation). */
  public DistillConfig withBackwardSimulation(boolean on) {
    return edit(b -> b.backwardSimulation = on);
  }

  /** cos(g_W2S, g_DMD) every {@code every} updates (0 = never) at {@code alpha} for plain DMD. */
  public DistillConfig withAlignment(int every, float alpha) {
    return edit(
        b -> {
          b.alignmentEvery = every;
          b.alignmentAlpha = alpha;
        });
  }

  /** The alpha_weak of g_W2S in the alignment measurement: this stage's, or alignmentAlpha. */
  public float alignmentAlphaWeak() {
    return alphaWeak > 0 ? alphaWeak : alignmentAlpha;
  }

  /** Fake-score updates per generator update (the update ratio). */
  public DistillConfig withCriticUpdates(int n) {
    return edit(b -> b.criticUpdates = n);
  }

  public DistillConfig withLoraRank(int rank) {
    return edit(b -> b.loraRank = rank);
  }

  public DistillConfig withBatchSize(int n) {
    return edit(b -> b.batchSize = n);
  }

  public DistillConfig withCriticLr(float lr) {
    return edit(b -> b.criticLr = lr);
  }

  public DistillConfig withAlphaStrong(float a) {
    return edit(b -> b.alphaStrong = a);
  }

  public DistillConfig withGan(boolean on) {
    return edit(b -> b.gan = on);
  }

  public DistillConfig withCheckpointEvery(int n) {
    return edit(b -> b.checkpointEvery = n);
  }

  /** Seed of all randomness of the stage (the critic's optimiser uses {@code seed + 1}). */
  public DistillConfig withSeed(long newSeed) {
    return edit(b -> b.seed = newSeed);
  }

  /** A copy with the edits {@code change} makes to a builder of this config (then validated). */
  private DistillConfig edit(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** Mutable copy of every field, for the {@code with...} methods. */
  private static final class Builder {
    int iterations;
    int criticUpdates;
    int batchSize;
    float generatorLr;
    float criticLr;
    float beta1;
    float beta2;
    float generatorEma;
    float gradClip;
    int loraRank;
    Set<String> loraTargets;
    float alphaWeak;
    float alphaStrong;
    double scoreSigmaMin;
    double scoreSigmaMax;
    double scoreShift;
    boolean backwardSimulation;
    boolean regression;
    float regressionWeight;
    boolean gan;
    float ganGeneratorWeight;
    float ganDiscriminatorWeight;
    int alignmentEvery;
    float alignmentAlpha;
    int checkpointEvery;
    long seed;

    Builder(DistillConfig c) {
      iterations = c.iterations;
      criticUpdates = c.criticUpdates;
      batchSize = c.batchSize;
      generatorLr = c.generatorLr;
      criticLr = c.criticLr;
      beta1 = c.beta1;
      beta2 = c.beta2;
      generatorEma = c.generatorEma;
      gradClip = c.gradClip;
      loraRank = c.loraRank;
      loraTargets = c.loraTargets;
      alphaWeak = c.alphaWeak;
      alphaStrong = c.alphaStrong;
      scoreSigmaMin = c.scoreSigmaMin;
      scoreSigmaMax = c.scoreSigmaMax;
      scoreShift = c.scoreShift;
      backwardSimulation = c.backwardSimulation;
      regression = c.regression;
      regressionWeight = c.regressionWeight;
      gan = c.gan;
      ganGeneratorWeight = c.ganGeneratorWeight;
      ganDiscriminatorWeight = c.ganDiscriminatorWeight;
      alignmentEvery = c.alignmentEvery;
      alignmentAlpha = c.alignmentAlpha;
      checkpointEvery = c.checkpointEvery;
      seed = c.seed;
    }

    DistillConfig build() {
      return new DistillConfig(
          iterations,
          criticUpdates,
          batchSize,
          generatorLr,
          criticLr,
          beta1,
          beta2,
          generatorEma,
          gradClip,
          loraRank,
          loraTargets,
          alphaWeak,
          alphaStrong,
          scoreSigmaMin,
          scoreSigmaMax,
          scoreShift,
          backwardSimulation,
          regression,
          regressionWeight,
          gan,
          ganGeneratorWeight,
          ganDiscriminatorWeight,
          alignmentEvery,
          alignmentAlpha,
          checkpointEvery,
          seed);
    }
  }

  /** Optimiser settings of the generator (steps = generator updates in total). */
  TrainConfig generatorTraining(int totalIterations) {
    return new TrainConfig(
        totalIterations, generatorLr, 0, 0f, beta1, beta2, 1e-8f, gradClip, generatorEma, 0, seed);
  }

  /** Optimiser settings of the LoRA critic (steps = critic updates in total). */
  TrainConfig criticTraining(int totalIterations) {
    return new TrainConfig(
        totalIterations * criticUpdates,
        criticLr,
        0,
        0f,
        beta1,
        beta2,
        1e-8f,
        gradClip,
        0f,
        0,
        seed + 1);
  }
}
