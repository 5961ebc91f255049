package com.magicdistill.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.MultiHeadAttention;
import com.magicdistill.engine.perf.ModelFlops;
import com.magicdistill.engine.stats.Median;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The training step's attention alone (docs/EVALUATION.md#fused-attention): {@link
 * MultiHeadAttention} forward and backward on a random qkv output of one block's shape (batch, N,
 * 3D), the part between the qkv and output projections (the batched products Q K^T and P V, the
 * softmax, the head reshuffles), timed without the profiler. Its share of the step and its rate say
 * how much of the MFU gap attention accounts for.
 */
final class AttentionTiming {
  private AttentionTiming() {}

  /**
   * Median milliseconds of one block's attention forward + backward, times the model's depth, for
   * each kernel (alternated, so both see the same load); {@code stepMs} is the training step's
   * median with the configured kernel.
   */
  static Map<String, Object> measure(DitConfig c, int batch, int warmup, int runs, double stepMs) {
    MultiHeadAttention.Kernel[] kernels = MultiHeadAttention.Kernel.values();
    double[][] ms = new double[kernels.length][runs];
    Engine.getInstance().setRandomSeed(7);
    try (NDManager root = NDManager.newBaseManager()) {
      for (int i = 0; i < warmup + runs; i++) {
        for (int k = 0; k < kernels.length; k++) {
          double t = once(root, c, batch, kernels[k]);
          if (i >= warmup) {
            ms[k][i - warmup] = t;
          }
        }
      }
    }
    double gflop =
        ModelFlops.TRAIN_MULTIPLIER
            * batch
            * ModelFlops.forwardParts(c).get(ModelFlops.ATTENTION_PRODUCTS)
            / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "method",
        "one block's attention (qkv output to heads' output) forward and backward on random input,"
            + " each kernel in turn, median of "
            + runs
            + " after "
            + warmup
            + ", times depth "
            + c.depth());
    m.put("configured", MultiHeadAttention.configured().name().toLowerCase(Locale.ROOT));
    m.put("gflop_per_step", gflop);
    double[] perStep = new double[kernels.length];
    Map<String, Object> byKernel = new LinkedHashMap<>();
    for (int k = 0; k < kernels.length; k++) {
      perStep[k] = Median.of(ms[k]) * c.depth();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("ms_per_step", perStep[k]);
      row.put("achieved_gflops", gflop / (perStep[k] / 1e3));
      byKernel.put(kernels[k].name().toLowerCase(Locale.ROOT), row);
    }
    m.put("kernels", byKernel);
    double configuredMs = perStep[MultiHeadAttention.configured().ordinal()];
    m.put("ms_per_step", configuredMs);
    m.put("share_of_step", configuredMs / stepMs);
    m.put(
        "fused_over_explicit",
        perStep[MultiHeadAttention.Kernel.FUSED.ordinal()]
            / perStep[MultiHeadAttention.Kernel.EXPLICIT.ordinal()]);
    return m;
  }

  private static double once(NDManager root, DitConfig c, int batch, MultiHeadAttention.Kernel k) {
    try (NDManager m = root.newSubManager()) {
      NDArray qkv = m.randomNormal(new Shape(batch, c.tokens(), 3L * c.dim()));
      NDArray upstream = m.randomNormal(new Shape(batch, c.tokens(), c.dim()));
      qkv.setRequiresGradient(true);
      long t0 = System.nanoTime();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(MultiHeadAttention.apply(qkv, c.heads(), k).mul(upstream).sum());
      }
      qkv.getGradient().getFloat(0, 0, 0);
      return (System.nanoTime() - t0) / 1e6;
    }
  }
}
