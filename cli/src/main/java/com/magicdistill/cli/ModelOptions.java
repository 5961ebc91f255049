package com.magicdistill.cli;

import com.magicdistill.engine.model.Prediction;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --prediction} and {@code --patch-skip}: what the teacher's last linear predicts and
 * whether it has the input-patch-to-output linear (docs/ALGORITHM.md#prediction-target), for the
 * commands that train a teacher from scratch.
 */
final class ModelOptions {
  @Option(
      names = "--prediction",
      description =
          "what the model's last linear predicts: velocity (the presets') or x0 (the clean clip;"
              + " the model returns the velocity through it)")
  String prediction;

  @Option(
      names = "--patch-skip",
      description = "add a linear from each input patch straight to its output patch")
  boolean patchSkip;

  /** The --prediction given, or null; an unknown name is refused naming the flag. */
  Prediction prediction(CommandLine cmd) {
    if (prediction == null) {
      return null;
    }
    try {
      return Prediction.byId(prediction);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          cmd, "--prediction takes velocity or x0, not '" + prediction + "'");
    }
  }

  /** True when either option was given. */
  boolean given() {
    return prediction != null || patchSkip;
  }
}
