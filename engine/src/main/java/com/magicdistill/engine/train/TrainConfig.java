package com.magicdistill.engine.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.io.Json;

/**
 * Hyper-parameters of a training run. The constructor validates every field and throws an {@link
 * IllegalArgumentException} that names the field, the bad value and the command-line flag to fix.
 *
 * @param steps total optimizer steps ({@code --steps})
 * @param lr peak learning rate ({@code --lr})
 * @param warmupSteps linear warm-up length, 0 for none ({@code --warmup-steps})
 * @param weightDecay decoupled AdamW weight decay ({@code --weight-decay})
 * @param beta1 AdamW first-moment decay ({@code --beta1})
 * @param beta2 AdamW second-moment decay ({@code --beta2})
 * @param eps AdamW epsilon ({@code --eps})
 * @param gradClip global gradient-norm limit, 0 to only measure ({@code --grad-clip})
 * @param emaDecay decay of the parameter EMA ({@code --ema-decay})
 * @param checkpointEvery steps between checkpoints, 0 for only the final one ({@code
 *     --checkpoint-every})
 * @param seed seed of all step randomness ({@code --seed})
 */
public record TrainConfig(
    int steps,
    float lr,
    int warmupSteps,
    float weightDecay,
    float beta1,
    float beta2,
    float eps,
    float gradClip,
    float emaDecay,
    int checkpointEvery,
    long seed) {

  private static final ObjectMapper JSON = Json.MAPPER;

  public TrainConfig {
    if (steps <= 0) {
      throw bad("steps", "be > 0", steps, "set --steps to a positive number");
    }
    if (!(lr > 0) || !Float.isFinite(lr)) {
      throw bad("lr", "be a finite number > 0", lr, "set --lr, for example --lr 1e-4");
    }
    if (warmupSteps < 0 || warmupSteps > steps) {
      throw bad(
          "warmupSteps",
          "be in [0, steps=" + steps + "]",
          warmupSteps,
          "set --warmup-steps between 0 and --steps");
    }
    if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
      throw bad(
          "weightDecay", "be >= 0", weightDecay, "set --weight-decay to 0 or a small value (0.01)");
    }
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw bad("beta1", "be in [0, 1)", beta1, "set --beta1, usually 0.9");
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw bad("beta2", "be in [0, 1)", beta2, "set --beta2, usually 0.999");
    }
    if (!(eps > 0) || !Float.isFinite(eps)) {
      throw bad("eps", "be a finite number > 0", eps, "set --eps, usually 1e-8");
    }
    if (!(gradClip >= 0) || !Float.isFinite(gradClip)) {
      throw bad(
          "gradClip", "be >= 0", gradClip, "set --grad-clip to 0 (no clipping) or a norm like 1.0");
    }
    if (!(emaDecay >= 0 && emaDecay < 1)) {
      throw bad("emaDecay", "be in [0, 1)", emaDecay, "set --ema-decay, usually 0.999");
    }
    if (checkpointEvery < 0) {
      throw bad(
          "checkpointEvery",
          "be >= 0",
          checkpointEvery,
          "set --checkpoint-every to 0 (final checkpoint only) or a positive step count");
    }
  }

  /** Sensible defaults for {@code steps} steps: lr 1e-4, AdamW(0.9, 0.999, 1e-8, 0.01), clip 1. */
  public static TrainConfig defaults(int steps) {
    return new TrainConfig(
        steps, 1e-4f, Math.min(100, steps), 0.01f, 0.9f, 0.999f, 1e-8f, 1.0f, 0.999f, 0, 0L);
  }

  public TrainConfig withSteps(int newSteps) {
    return new TrainConfig(
        newSteps,
        lr,
        Math.min(warmupSteps, newSteps),
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        emaDecay,
        checkpointEvery,
        seed);
  }

  public TrainConfig withLr(float newLr, int newWarmupSteps) {
    return new TrainConfig(
        steps,
        newLr,
        newWarmupSteps,
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        emaDecay,
        checkpointEvery,
        seed);
  }

  public TrainConfig withCheckpointEvery(int every) {
    return new TrainConfig(
        steps, lr, warmupSteps, weightDecay, beta1, beta2, eps, gradClip, emaDecay, every, seed);
  }

  public TrainConfig withSeed(long newSeed) {
    return new TrainConfig(
        steps,
        lr,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        emaDecay,
        checkpointEvery,
        newSeed);
  }

  /** The schedule this config implies: warm-up then constant {@link #lr()}. */
  public LearningRateSchedule constantSchedule() {
    return LearningRateSchedule.constant(lr, warmupSteps);
  }

  /** The config as a JSON object (field names as in the record). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses {@link #toJson()} output (validating it). */
  public static TrainConfig fromJson(String json) {
    try {
      return JSON.readValue(json, TrainConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a TrainConfig JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static IllegalArgumentException bad(String field, String rule, Object got, String fix) {
    return new IllegalArgumentException(field + " must " + rule + " (got " + got + "): " + fix);
  }
}
