package com.magicdistill.engine.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.magicdistill.engine.stats.Median;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fp32 matrix-multiply rate libtorch reaches in this process, with this process's intra-op
 * thread count: the denominator of MFU (docs/EVALUATION.md#training-efficiency). Each size is timed
 * {@link #ROUNDS} times after {@link #WARMUP} untimed products; the median counts.
 */
public final class GemmPeak {
  public static final int WARMUP = 2;
  public static final int ROUNDS = 7;

  /** Square sizes tried for the peak; the best median rate is the peak. */
  public static final List<Integer> SIZES = List.of(512, 1024, 2048);

  /**
   * @param gflops best median rate over {@link #SIZES}
   * @param bySize median GFLOP/s of each square size
   * @param threads libtorch intra-op threads
   */
  public record Result(double gflops, Map<Integer, Double> bySize, int threads) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("gflops", gflops);
      Map<String, Double> sizes = new LinkedHashMap<>();
      bySize.forEach((k, v) -> sizes.put(k + "x" + k, v));
      m.put("gflops_by_size", sizes);
      m.put("threads", threads);
      m.put(
          "method",
          "fp32 libtorch matmul of n x n by n x n, median of "
              + ROUNDS
              + " after "
              + WARMUP
              + " warm-up, best n");
      return m;
    }
  }

  private GemmPeak() {}

  /** Measures every size of {@link #SIZES}. */
  public static Result measure() {
    return measure(SIZES);
  }

  /** Measures the given square sizes (tests use one small size). */
  public static Result measure(List<Integer> sizes) {
    Map<Integer, Double> bySize = new LinkedHashMap<>();
    double best = 0;
    for (int n : sizes) {
      double g = rate(n, n, n);
      bySize.put(n, g);
      best = Math.max(best, g);
    }
    return new Result(best, bySize, threads());
  }

  /** Median GFLOP/s of (rows x in) times (in x out), fp32, as a linear layer's forward runs it. */
  public static double rate(long rows, long in, long out) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomUniform(-1f, 1f, new Shape(rows, in));
      NDArray b = m.randomUniform(-1f, 1f, new Shape(in, out));
      double[] ms = new double[ROUNDS];
      for (int i = 0; i < WARMUP + ROUNDS; i++) {
        long t0 = System.nanoTime();
        NDArray c = a.matMul(b); // libtorch on CPU: returns when the product is done
        long t1 = System.nanoTime();
        c.close();
        if (i >= WARMUP) {
          ms[i - WARMUP] = (t1 - t0) / 1e6;
        }
      }
      return 2.0 * rows * in * out / (Median.of(ms) * 1e6);
    }
  }

  /** libtorch's intra-op thread count in this process. */
  public static int threads() {
    return JniUtils.getNumThreads();
  }
}
