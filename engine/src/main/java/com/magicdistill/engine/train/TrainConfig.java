package com.magicdistill.engine.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.ConfigException;
import com.magicdistill.engine.io.Json;

/**
 * Hyper-parameters of a training run. The constructor validates every field and throws a {@link
 * ConfigException} that names the field and the bad value.
 *
 * @param steps total optimizer steps
 * @param lr peak learning rate
 * @param warmupSteps linear warm-up length, 0 for none
 * @param weightDecay decoupled AdamW weight decay
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param eps AdamW epsilon
 * @param gradClip global gradient-norm limit, 0 to only measure
 * @param emaDecay decay of the parameter EMA
 * @param checkpointEvery steps between checkpoints, 0 for only the final one
 * @param seed seed of all step randomness
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
    OptimizerSettings.steps(steps);
    OptimizerSettings.lr(lr);
    ConfigException.require(
        warmupSteps >= 0 && warmupSteps <= steps,
        "warmupSteps",
        "be in [0, steps=" + steps + "]",
        warmupSteps,
        "0 for none, at most the step count");
    OptimizerSettings.adamW(weightDecay, beta1, beta2, eps, gradClip);
    OptimizerSettings.decay("emaDecay", emaDecay, "usually 0.999");
    OptimizerSettings.checkpointEvery(checkpointEvery);
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
}
