package com.magicdistill.activities;

import com.magicdistill.engine.ConfigException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which run-spec field sets which field of one engine config, so an engine error naming the field
 * reaches a pipeline user naming the run-spec path ({@code fineTune.lr}). Fields the spec does not
 * carry come from its {@code preset}.
 *
 * @param paths config field to run-spec path
 */
public record RunSpecFields(Map<String, String> paths) {
  /** The run-spec field that supplies every setting the spec does not carry. */
  public static final String PRESET = "preset";

  /** Base pretraining: its steps and checkpoint interval. */
  public static final RunSpecFields BASE =
      of("steps", "fineTune.baseSteps", "checkpointEvery", "checkpoints.everySteps");

  /** The portrait fine-tune (warm-up is derived from the step count). */
  public static final RunSpecFields FINE_TUNE =
      of(
          "steps", "fineTune.steps",
          "warmupSteps", "fineTune.steps",
          "lr", "fineTune.lr",
          "checkpointEvery", "checkpoints.everySteps");

  /** The two teacher phases' shared settings. */
  public static final RunSpecFields TEACHER_TRAINING =
      of("fineTuneBatchSize", "fineTune.batchSize");

  /** The DMD-LoRA stage and everything W2S shares with it. */
  public static final RunSpecFields DMD_LORA =
      of(
          "iterations", "distill.dmdIterations",
          "criticUpdates", "distill.criticUpdates",
          "batchSize", "distill.batchSize",
          "generatorLr", "distill.generatorLr",
          "criticLr", "distill.criticLr",
          "loraRank", "distill.loraRank",
          "alphaStrong", "distill.alphaStrong",
          "checkpointEvery", "checkpoints.everySteps");

  /** The W2S stage: its own iterations and real-model LoRA scale. */
  public static final RunSpecFields W2S =
      of("iterations", "distill.w2sIterations", "alphaWeak", "distill.alphaWeak");

  /** The run-spec path that sets {@code field}, or {@link #PRESET}. */
  public String pathFor(String field) {
    return paths.getOrDefault(field, PRESET);
  }

  /** Builds a config, renaming the field in its error to the run-spec path that sets it. */
  public <T> T build(Supplier<T> config) {
    try {
      return config.get();
    } catch (ConfigException e) {
      String path = paths.get(e.field());
      String name = path != null ? path : "the preset's " + e.field() + " (choose another preset)";
      throw new IllegalArgumentException(e.messageFor(name), e);
    }
  }

  private static RunSpecFields of(String... fieldPath) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < fieldPath.length; i += 2) {
      m.put(fieldPath[i], fieldPath[i + 1]);
    }
    return new RunSpecFields(Map.copyOf(m));
  }
}
