package com.magicdistill.engine.perf;

import com.magicdistill.engine.model.DitConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Matrix-multiply FLOPs of the {@link com.magicdistill.engine.model.VideoDiT}, counted from the
 * shapes (docs/EVALUATION.md#training-efficiency): 2 * rows * in * out per linear (rows = tokens N
 * for token-wise linears, 1 for the per-sample sigma MLP and adaLN linears), 2 * N^2 * D each for Q
 * K^T and for the attention-weighted sum of V, LoRA adapters as two more linears. Element-wise work
 * (norms, softmax, GELU, modulation) is left out, as in the usual MFU accounting.
 */
public final class ModelFlops {
  /** Backward costs about twice the forward (gradients of inputs and of weights). */
  public static final int TRAIN_MULTIPLIER = 3;

  /** The part of {@link #forwardParts} that is attention's two batched products, all heads. */
  public static final String ATTENTION_PRODUCTS = "blocks.attn.scores_and_values";

  private static final int SIGMA_FEATURES = 64;

  private ModelFlops() {}

  /** Forward FLOPs per sample, by part. */
  public static Map<String, Long> forwardParts(DitConfig c) {
    long n = c.tokens();
    long d = c.dim();
    long p = c.patchVolume();
    long h = (long) c.mlpRatio() * d;
    long depth = c.depth();
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("patch_embed", linear(c, "patch_embed", n, DitConfig.IN_CHANNELS * p, d));
    parts.put(
        "sigma_embed",
        linear(c, "sigma_embed", 1, SIGMA_FEATURES, d) + linear(c, "sigma_embed", 1, d, d));
    parts.put("blocks.adaLN", depth * linear(c, "adaln", 1, d, 6 * d));
    parts.put(
        "blocks.attn.linears",
        depth * (linear(c, "qkv", n, d, 3 * d) + linear(c, "proj", n, d, d)));
    parts.put(ATTENTION_PRODUCTS, depth * 2 * (2 * n * n * d));
    parts.put("blocks.mlp", depth * (linear(c, "fc1", n, d, h) + linear(c, "fc2", n, h, d)));
    parts.put("final_layer", linear(c, "final", 1, d, 2 * d) + linear(c, "final", n, d, 3 * p));
    if (c.patchSkip()) {
      parts.put("patch_skip", linear(c, "patch_skip", n, DitConfig.IN_CHANNELS * p, 3 * p));
    }
    return parts;
  }

  /** Forward FLOPs of one sample. */
  public static long forwardPerSample(DitConfig c) {
    return forwardParts(c).values().stream().mapToLong(Long::longValue).sum();
  }

  /** FLOPs of one training step over {@code batch} samples: 3 x forward. */
  public static long trainStep(DitConfig c, int batch) {
    return TRAIN_MULTIPLIER * batch * forwardPerSample(c);
  }

  /** 2 rows in out, plus the LoRA pair (in -> r -> out) when {@code target} carries one. */
  private static long linear(DitConfig c, String target, long rows, long in, long out) {
    long r = c.rankFor(target);
    return 2 * rows * (in * out + (r > 0 ? in * r + r * out : 0));
  }
}
