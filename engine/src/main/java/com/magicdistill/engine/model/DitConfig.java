package com.magicdistill.engine.model;

import com.magicdistill.engine.data.ClipShape;
import java.util.Set;

/**
 * Architecture of the miniature image-to-video DiT (a scaled-down Magic141 / HunyuanVideo-I2V).
 *
 * @param clip clip geometry the model generates
 * @param patchFrames temporal patch size (frames per token)
 * @param patchSize spatial patch size (pixels per token side)
 * @param dim token width
 * @param depth number of transformer blocks
 * @param heads attention heads (dim must be divisible by heads)
 * @param mlpRatio MLP hidden width = mlpRatio * dim
 * @param loraRank LoRA rank on the {@code loraTargets} linears (0 = no adapters)
 * @param loraAlpha LoRA alpha; the adapter is scaled by alpha / rank
 * @param loraTargets which linears carry LoRA: any of {@link #ALL_TARGETS}
 * @param prediction what the last linear predicts ({@link Prediction}; velocity when absent, as in
 *     configs written before it existed)
 * @param patchSkip a linear from each input patch straight to the output patch, added to the last
 *     linear's output (false when absent)
 */
public record DitConfig(
    ClipShape clip,
    int patchFrames,
    int patchSize,
    int dim,
    int depth,
    int heads,
    int mlpRatio,
    int loraRank,
    float loraAlpha,
    Set<String> loraTargets,
    Prediction prediction,
    boolean patchSkip) {

  /** Linears that can carry LoRA: attention qkv and output, MLP in/out, adaLN, embeddings. */
  public static final Set<String> ALL_TARGETS =
      Set.of("qkv", "proj", "fc1", "fc2", "adaln", "patch_embed", "sigma_embed", "final");

  /**
   * The fake score model's default (docs/ALGORITHM.md#dmd-lora): attention q/k/v/o and the MLP
   * linears.
   */
  public static final Set<String> DEFAULT_TARGETS = Set.of("qkv", "proj", "fc1", "fc2");

  /** Input channels per pixel: noisy RGB, first-frame RGB (zeros after frame 0), known-mask. */
  public static final int IN_CHANNELS = 7;

  /** A velocity-predicting model (the last linear is v_theta). */
  public DitConfig(
      ClipShape clip,
      int patchFrames,
      int patchSize,
      int dim,
      int depth,
      int heads,
      int mlpRatio,
      int loraRank,
      float loraAlpha,
      Set<String> loraTargets) {
    this(
        clip,
        patchFrames,
        patchSize,
        dim,
        depth,
        heads,
        mlpRatio,
        loraRank,
        loraAlpha,
        loraTargets,
        Prediction.VELOCITY,
        false);
  }

  public DitConfig {
    loraTargets = Set.copyOf(loraTargets);
    prediction = prediction == null ? Prediction.VELOCITY : prediction;
    require(
        patchFrames > 0 && clip.frames() % patchFrames == 0,
        "patchFrames",
        patchFrames,
        "a positive divisor of the clip's " + clip.frames() + " frames");
    require(
        patchSize > 0 && clip.height() % patchSize == 0 && clip.width() % patchSize == 0,
        "patchSize",
        patchSize,
        "a positive divisor of the clip's height and width");
    require(
        dim > 0 && heads > 0 && dim % heads == 0,
        "dim/heads",
        dim + "/" + heads,
        "a positive width that the number of heads divides");
    require(depth > 0, "depth", depth, "at least 1");
    require(mlpRatio > 0, "mlpRatio", mlpRatio, "at least 1");
    require(loraRank >= 0, "loraRank", loraRank, "0 (no LoRA) or more");
    require(loraRank == 0 || loraAlpha > 0, "loraAlpha", loraAlpha, "positive when loraRank > 0");
    for (String t : loraTargets) {
      if (!ALL_TARGETS.contains(t)) {
        throw new IllegalArgumentException(
            "loraTargets: unknown target '" + t + "'; choose from " + ALL_TARGETS);
      }
    }
  }

  private static void require(boolean ok, String field, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(
          "model." + field + " is invalid (" + value + "): it must be " + rule);
    }
  }

  public int tokensT() {
    return clip.frames() / patchFrames;
  }

  public int tokensH() {
    return clip.height() / patchSize;
  }

  public int tokensW() {
    return clip.width() / patchSize;
  }

  public int tokens() {
    return tokensT() * tokensH() * tokensW();
  }

  /** Values per patch on input (7 channels) and output (3 channels: velocity). */
  public int patchVolume() {
    return patchFrames * patchSize * patchSize;
  }

  /** LoRA rank for a named linear: the configured rank if targeted, else 0. */
  public int rankFor(String target) {
    return loraTargets.contains(target) ? loraRank : 0;
  }

  /** The same model with {@code newHeads} attention heads of dim / newHeads channels each. */
  public DitConfig withHeads(int newHeads) {
    return with(newHeads, loraRank, loraAlpha, loraTargets, prediction, patchSkip);
  }

  /** The same model predicting {@code newPrediction} with its last linear. */
  public DitConfig withPrediction(Prediction newPrediction) {
    return with(heads, loraRank, loraAlpha, loraTargets, newPrediction, patchSkip);
  }

  /** The same model with or without the input-patch-to-output linear. */
  public DitConfig withPatchSkip(boolean skip) {
    return with(heads, loraRank, loraAlpha, loraTargets, prediction, skip);
  }

  /** The same architecture with LoRA of {@code rank} on {@code targets}, alpha = rank (scale 1). */
  public DitConfig withLora(int rank, Set<String> targets) {
    return with(heads, rank, rank, targets, prediction, patchSkip);
  }

  /** This clip, patching, width, depth and MLP with the other fields given. */
  private DitConfig with(
      int newHeads,
      int rank,
      float alpha,
      Set<String> targets,
      Prediction newPrediction,
      boolean skip) {
    return new DitConfig(
        clip,
        patchFrames,
        patchSize,
        dim,
        depth,
        newHeads,
        mlpRatio,
        rank,
        alpha,
        targets,
        newPrediction,
        skip);
  }
}
