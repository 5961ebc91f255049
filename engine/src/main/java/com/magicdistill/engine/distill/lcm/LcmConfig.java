package com.magicdistill.engine.distill.lcm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.TrainConfig;

/**
 * Hyper-parameters of latent consistency distillation (docs/ALGORITHM.md#lcm-baseline). The
 * constructor validates every field and names the field, the bad value and the flag that fixes it.
 *
 * @param steps optimizer steps of the student ({@code --steps})
 * @param lr AdamW learning rate of the student ({@code --lr})
 * @param batchSize clips per step ({@code --batch-size})
 * @param solverSteps N: intervals of the teacher's ODE discretisation, default 28 ({@code
 *     --solver-steps})
 * @param skip k: schedule intervals spanned by one teacher Euler step (LCM's skipping-step); must
 *     divide {@code solverSteps} ({@code --skip})
 * @param shift timestep shift of the discretisation, as the teacher samples ({@code --shift})
 * @param targetDecay decay of the EMA that is the target network theta^- and the exported student
 *     ({@code --target-decay}, LCM uses 0.95)
 * @param huberC pseudo-Huber constant c; 0 means plain mean squared error ({@code --huber-c})
 * @param checkpointEvery steps between checkpoints, 0 for only the final one ({@code
 *     --checkpoint-every})
 * @param seed seed of all step randomness ({@code --seed})
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
    if (steps <= 0) {
      throw bad("steps", "be > 0", steps, "set --steps to a positive number");
    }
    if (!(lr > 0) || !Float.isFinite(lr)) {
      throw bad("lr", "be a finite number > 0", lr, "set --lr, for example --lr 1e-4");
    }
    if (batchSize <= 0) {
      throw bad("batchSize", "be > 0", batchSize, "set --batch-size to a positive number");
    }
    if (solverSteps <= 0) {
      throw bad(
          "solverSteps",
          "be > 0",
          solverSteps,
          "set --solver-steps to the teacher's step count (28)");
    }
    if (skip <= 0 || skip > solverSteps || solverSteps % skip != 0) {
      throw bad(
          "skip",
          "be > 0 and divide solverSteps=" + solverSteps,
          skip,
          "set --skip to a divisor of --solver-steps (1 for adjacent sigmas)");
    }
    if (!(shift > 0) || !Double.isFinite(shift)) {
      throw bad("shift", "be a finite number > 0", shift, "set --shift, 1 for no shift");
    }
    if (!(targetDecay >= 0 && targetDecay < 1)) {
      throw bad("targetDecay", "be in [0, 1)", targetDecay, "set --target-decay, LCM uses 0.95");
    }
    if (!(huberC >= 0) || !Double.isFinite(huberC)) {
      throw bad("huberC", "be >= 0", huberC, "set --huber-c to 0 (L2) or a small value like 0.001");
    }
    if (checkpointEvery < 0) {
      throw bad(
          "checkpointEvery",
          "be >= 0",
          checkpointEvery,
          "set --checkpoint-every to 0 (final checkpoint only) or a positive step count");
    }
  }

  /** Defaults: lr 1e-4, batch 4, N = 28, skip 1, shift 5, target decay 0.95, L2, seed 0. */
  public static LcmConfig defaults(int steps) {
    return new LcmConfig(steps, 1e-4f, 4, 28, 1, 5.0, 0.95f, 0.0, 0, 0L);
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

  private static IllegalArgumentException bad(String field, String rule, Object got, String fix) {
    return new IllegalArgumentException(
        "lcm." + field + " must " + rule + " (got " + got + "): " + fix);
  }
}
