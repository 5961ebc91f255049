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
import java.util.Map;

/**
 * The training step's attention alone (docs/EVALUATION.md#native-memory): {@link
 * MultiHeadAttention} forward and backward on a random qkv output of one block's shape (batch, N,
 * 3D), the part between the qkv and output projections (the batched products Q K^T and P V, the
 * softmax, the head reshuffles), timed without the profiler. Its share of the step and its rate say
 * how much of the MFU gap attention accounts for.
 */
final class AttentionTiming {
  private AttentionTiming() {}

  /** Median milliseconds of one block's attention forward + backward, times the model's depth. */
  static Map<String, Object> measure(DitConfig c, int batch, int warmup, int runs, double stepMs) {
    double[] ms = new double[runs];
    Engine.getInstance().setRandomSeed(7);
    try (NDManager root = NDManager.newBaseManager()) {
      for (int i = 0; i < warmup + runs; i++) {
        try (NDManager m = root.newSubManager()) {
          NDArray qkv = m.randomNormal(new Shape(batch, c.tokens(), 3L * c.dim()));
          NDArray upstream = m.randomNormal(new Shape(batch, c.tokens(), c.dim()));
          qkv.setRequiresGradient(true);
          long t0 = System.nanoTime();
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(MultiHeadAttention.apply(qkv, c.heads()).mul(upstream).sum());
          }
          qkv.getGradient().getFloat(0, 0, 0);
          if (i >= warmup) {
            ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
    }
    double perStep = Median.of(ms) * c.depth();
    double gflop =
        ModelFlops.TRAIN_MULTIPLIER
            * batch
            * ModelFlops.forwardParts(c).get(ModelFlops.ATTENTION_PRODUCTS)
            / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "method",
        "one block's attention (qkv output to heads' output) forward and backward on random input,"
            + " median of "
            + runs
            + " after "
            + warmup
            + ", times depth "
            + c.depth());
    m.put("ms_per_step", perStep);
    m.put("share_of_step", perStep / stepMs);
    m.put("gflop_per_step", gflop);
    m.put("achieved_gflops", gflop / (perStep / 1e3));
    return m;
  }
}
