package com.magicdistill.engine.eval;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Seeded percentile bootstrap over clips: draw {@code n} clip indices with replacement {@code B}
 * times, recompute the statistic on each draw, report the 2.5th and 97.5th percentiles (linear
 * interpolation between order statistics). The draws depend only on the seed and {@code n}, so
 * every method scored on the same number of clips sees the same resamples.
 */
public final class Bootstrap {
  public static final int DEFAULT_RESAMPLES = 1000;
  public static final long DEFAULT_SEED = 0x4D44424F4F54L; // "MDBOOT"

  /** Mixed into the seed for the training-seed draws of {@link #overSeedsAndClips}. */
  private static final long SEED_DRAW_STREAM = 0x5345454453L; // "SEEDS"

  /** A statistic of one training seed's clips (indices {@code clips}, repeats allowed). */
  @FunctionalInterface
  public interface SeedStatistic {
    double of(int seed, int[] clips);
  }

  private final int resamples;
  private final long seed;

  public Bootstrap() {
    this(DEFAULT_RESAMPLES, DEFAULT_SEED);
  }

  public Bootstrap(int resamples, long seed) {
    if (resamples < 2) {
      throw new IllegalArgumentException("need >= 2 resamples, got " + resamples);
    }
    this.resamples = resamples;
    this.seed = seed;
  }

  public int resamples() {
    return resamples;
  }

  public long seed() {
    return seed;
  }

  /**
   * Interval of {@code statistic} over {@code n} clips; {@code statistic} gets the drawn indices
   * (length {@code n}, repeats allowed); the value is the statistic on {@code 0..n-1}.
   */
  public Interval interval(int n, ToDoubleFunction<int[]> statistic) {
    if (n < 1) {
      throw new IllegalArgumentException("no clips to resample");
    }
    Random rnd = new Random(seed);
    int[][] draws = new int[resamples][];
    for (int b = 0; b < resamples; b++) {
      draws[b] = draw(rnd, n);
    }
    double[] reps = replicates(b -> statistic.applyAsDouble(draws[b]));
    return new Interval(
        statistic.applyAsDouble(identity(n)), percentile(reps, 0.025), percentile(reps, 0.975));
  }

  /**
   * Interval of a two-set statistic: with {@code na == nb} the sets are paired (clip {@code i} of
   * each shares a first frame) and resampled with the same indices; otherwise each set is resampled
   * on its own (indices for the first set drawn before those for the second).
   */
  public Interval twoSample(int na, int nb, ToDoubleBiFunction<int[], int[]> statistic) {
    if (na == nb) {
      return interval(na, idx -> statistic.applyAsDouble(idx, idx));
    }
    if (na < 1 || nb < 1) {
      throw new IllegalArgumentException("no clips to resample");
    }
    Random rnd = new Random(seed);
    int[][] drawsA = new int[resamples][];
    int[][] drawsB = new int[resamples][];
    for (int b = 0; b < resamples; b++) {
      drawsA[b] = draw(rnd, na);
      drawsB[b] = draw(rnd, nb);
    }
    double[] reps = replicates(b -> statistic.applyAsDouble(drawsA[b], drawsB[b]));
    return new Interval(
        statistic.applyAsDouble(identity(na), identity(nb)),
        percentile(reps, 0.025),
        percentile(reps, 0.975));
  }

  /**
   * Interval over training seeds and clips (a two-level bootstrap,
   * docs/EVALUATION.md#training-seeds): each draw picks {@code seeds} training seeds with
   * replacement and {@code n} clip indices with replacement, the same clip indices for every seed
   * (clip {@code i} of every seed was conditioned on the same first frame with the same noise), and
   * takes the mean over the drawn seeds of {@code statistic} on the drawn clips. The value is the
   * mean over all seeds of the statistic on all clips. The clip draws are those of {@link
   * #interval}, the seed draws come from a generator of their own, so with one seed this is {@code
   * interval(n, idx -> statistic.of(0, idx))}.
   */
  public Interval overSeedsAndClips(int seeds, int n, SeedStatistic statistic) {
    if (seeds < 1 || n < 1) {
      throw new IllegalArgumentException(seeds + " seeds, " + n + " clips: nothing to resample");
    }
    Random rnd = new Random(seed);
    Random seedRnd = new Random(seed ^ SEED_DRAW_STREAM);
    int[][] clipDraws = new int[resamples][];
    int[][] seedDraws = new int[resamples][];
    for (int b = 0; b < resamples; b++) {
      clipDraws[b] = draw(rnd, n);
      seedDraws[b] = draw(seedRnd, seeds);
    }
    double[] reps =
        replicates(
            b -> {
              // A seed drawn twice counts twice but is computed once.
              double[] perSeed = new double[seeds];
              boolean[] done = new boolean[seeds];
              double s = 0;
              for (int k : seedDraws[b]) {
                if (!done[k]) {
                  perSeed[k] = statistic.of(k, clipDraws[b]);
                  done[k] = true;
                }
                s += perSeed[k];
              }
              return s / seeds;
            });
    int[] all = identity(n);
    double value = 0;
    for (int k = 0; k < seeds; k++) {
      value += statistic.of(k, all);
    }
    return new Interval(value / seeds, percentile(reps, 0.025), percentile(reps, 0.975));
  }

  /** {@code n} indices drawn with replacement from {@code 0..n-1}. */
  private static int[] draw(Random rnd, int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = rnd.nextInt(n);
    }
    return idx;
  }

  /**
   * The statistic on every draw, sorted. Draws are made up front in order, so evaluating them in
   * parallel (the Fréchet replicates dominate evaluation time) leaves the result unchanged.
   */
  private double[] replicates(IntToDoubleFunction replicate) {
    double[] reps = IntStream.range(0, resamples).parallel().mapToDouble(replicate).toArray();
    Arrays.sort(reps);
    return reps;
  }

  private static int[] identity(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }

  /** Interval of the mean of per-clip values. */
  public Interval mean(double[] perClip) {
    return interval(
        perClip.length,
        idx -> {
          double s = 0;
          for (int i : idx) {
            s += perClip[i];
          }
          return s / idx.length;
        });
  }

  /** Interval of {@code sum num / sum den} with pairs resampled together. */
  public Interval ratioOfMeans(double[] num, double[] den) {
    if (num.length != den.length) {
      throw new IllegalArgumentException(num.length + " numerators but " + den.length);
    }
    return interval(
        num.length,
        idx -> {
          double a = 0;
          double b = 0;
          for (int i : idx) {
            a += num[i];
            b += den[i];
          }
          return a / b;
        });
  }

  /**
   * Type-7 quantile of sorted {@code x}: {@code x[floor(h)] + frac(h) (x[ceil h] - x[floor h])}.
   */
  static double percentile(double[] sorted, double p) {
    double h = p * (sorted.length - 1);
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
