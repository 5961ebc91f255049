package com.magicdistill.engine.distill.lcm;

import static com.magicdistill.engine.ConfigException.require;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.OptimizerSettings;
import com.magicdistill.engine.train.TrainConfig;

/**
 * Hyper-parameters of latent consistency distillation (docs/ALGORITHM.md#lcm-baseline). The
 * constructor validates every field and names the field and the bad value.
 *
 * @param steps optimizer steps of the student
 * @param lr AdamW learning rate of the student
 * @param batchSize clips per step
 * @param solverSteps N: intervals of the teacher's ODE discretisation, default 28
 * @param skip k: schedule intervals spanned by one teacher Euler step (LCM's skipping-step); must
 *     divide {@code solverSteps}
 * @param shift timestep shift of the discretisation, as the teacher samples
 * @param targetDecay decay of the EMA that is the target network theta^- and the exported student
 *     (LCM uses 0.95)
 * @param huberC pseudo-Huber constant c; 0 means plain mean squared error
 * @param checkpointEvery steps between checkpoints, 0 for only the final one
 * @param seed seed of all step randomness
 */
public record LcmConfig(
    int steps,
    float lr,
    int batchSize,
    int solverSteps,
    int skip,
    double shift,
    float targetDecay,
    double huberC,
    int checkpointEvery,
    long seed) {

  private static final ObjectMapper JSON = Json.MAPPER;

  public LcmConfig {
    OptimizerSettings.steps(steps);
    OptimizerSettings.lr(lr);
    require(batchSize > 0, "batchSize", "be > 0", batchSize, "a positive clip count");
    require(solverSteps > 0, "solverSteps", "be > 0", solverSteps, "the teacher's step count (28)");
    require(
        skip > 0 && skip <= solverSteps && solverSteps % skip == 0,
        "skip",
        "be > 0 and divide solverSteps=" + solverSteps,
        skip,
        "a divisor of solverSteps (1 for adjacent sigmas)");
    require(
        shift > 0 && Double.isFinite(shift),
        "shift",
        "be a finite number > 0",
        shift,
        "1 for no shift");
    OptimizerSettings.decay("targetDecay", targetDecay, "LCM uses 0.95");
    require(
        huberC >= 0 && Double.isFinite(huberC),
        "huberC",
        "be >= 0",
        huberC,
        "0 (L2) or a small value like 0.001");
    OptimizerSettings.checkpointEvery(checkpointEvery);
  }

  /** Defaults: lr 1e-4, batch 4, N = 28, skip 1, shift 5, target decay 0.95, L2, seed 0. */
  public static LcmConfig defaults(int steps) {
    return new LcmConfig(steps, 1e-4f, 4, 28, 1, 5.0, 0.95f, 0.0, 0, 0L);
  }

  public LcmConfig withSteps(int newSteps) {
    return new LcmConfig(
        newSteps,
        lr,
        batchSize,
        solverSteps,
        skip,
        shift,
        targetDecay,
        huberC,
        checkpointEvery,
        seed);
  }

  public LcmConfig withSeed(long newSeed) {
    return new LcmConfig(
        steps,
        lr,
        batchSize,
        solverSteps,
        skip,
        shift,
        targetDecay,
        huberC,
        checkpointEvery,
        newSeed);
  }

  public LcmConfig withCheckpointEvery(int every) {
    return new LcmConfig(
        steps, lr, batchSize, solverSteps, skip, shift, targetDecay, huberC, every, seed);
  }

  public LcmConfig withHuberC(double c) {
    return new LcmConfig(
        steps, lr, batchSize, solverSteps, skip, shift, targetDecay, c, checkpointEvery, seed);
  }

  /** The teacher-ODE discretisation: N intervals on the shifted schedule. */
  public SigmaSchedule schedule() {
    return new SigmaSchedule(solverSteps, shift);
  }

  /**
   * The {@link TrainConfig} the generic trainer runs with: AdamW(0.9, 0.999, 1e-8), no weight decay
   * (LCM), short warm-up, gradient clip 1, EMA decay = {@link #targetDecay()} (the EMA is the
   * target network).
   */
  public TrainConfig trainConfig() {
    return new TrainConfig(
        steps,
        lr,
        Math.min(steps / 10, 100),
        0f,
        0.9f,
        0.999f,
        1e-8f,
        1f,
        targetDecay,
        checkpointEvery,
        seed);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
