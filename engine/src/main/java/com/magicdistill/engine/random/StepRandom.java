package com.magicdistill.engine.random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Counter-based randomness: the random numbers of training step {@code step} depend only on {@code
 * (seed, step, stream)}, never on what ran before. Resuming from a checkpoint therefore draws
 * exactly the numbers an uninterrupted run would have drawn, without capturing libtorch's
 * generator. The checkpointable state is just {@code (seed, step)}.
 *
 * <p>Use one {@code stream} per purpose within a step (for example 0 for the batch, 1 for noise, 2
 * for timesteps) so adding a draw for one purpose does not shift the others. Gaussians use
 * Box-Muller on {@link StrictMath} so values are identical on every JVM. Not thread-safe: one
 * instance per step and thread.
 */
public final class StepRandom {
  private final long seed;
  private final long step;
  private final int stream;
  private final SplittableRandom random;
  private double spareGaussian = Double.NaN;

  private StepRandom(long seed, long step, int stream) {
    this.seed = seed;
    this.step = step;
    this.stream = stream;
    this.random = new SplittableRandom(mix(seed, step, stream));
  }

  /**
   * The generator for {@code stream} of training step {@code step} of a run seeded {@code seed}.
   */
  public static StepRandom forStep(long seed, long step, int stream) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0 (got " + step + ")");
    }
    return new StepRandom(seed, step, stream);
  }

  /** Another stream of the same step. */
  public StepRandom stream(int otherStream) {
    return new StepRandom(seed, step, otherStream);
  }

  public long seed() {
    return seed;
  }

  public long step() {
    return step;
  }

  public int streamId() {
    return stream;
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return random.nextDouble();
  }

  /** Uniform 64-bit value. */
  public long nextLong() {
    return random.nextLong();
  }

  /** Standard normal. */
  public double nextGaussian() {
    if (!Double.isNaN(spareGaussian)) {
      double g = spareGaussian;
      spareGaussian = Double.NaN;
      return g;
    }
    // Box-Muller; u1 in (0, 1] so the log is finite.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double theta = 2.0 * StrictMath.PI * u2;
    spareGaussian = r * StrictMath.sin(theta);
    return r * StrictMath.cos(theta);
  }

  /** {@code n} standard normal floats. */
  public float[] gaussian(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) nextGaussian();
    }
    return out;
  }

  /** {@code n} floats uniform in [0, 1). */
  public float[] uniform(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextDouble();
    }
    return out;
  }

  /**
   * A float32 array of standard normal noise of {@code shape}, owned by {@code manager}. The data
   * is copied into a native tensor, so it stays valid in an autograd graph across GCs.
   */
  public NDArray gaussian(NDManager manager, Shape shape) {
    return ownedCopy(manager, gaussian(Math.toIntExact(shape.size())), shape);
  }

  /** A float32 array of uniform [0, 1) values of {@code shape}, owned by {@code manager}. */
  public NDArray uniform(NDManager manager, Shape shape) {
    return ownedCopy(manager, uniform(Math.toIntExact(shape.size())), shape);
  }

  private static NDArray ownedCopy(NDManager manager, float[] data, Shape shape) {
    try (NDArray wrapped = manager.create(data, shape)) {
      return wrapped.duplicate();
    }
  }

  /** SplitMix64-style mixing of the three coordinates into one 64-bit seed. */
  static long mix(long seed, long step, int stream) {
    long h = fmix(seed ^ 0x9E3779B97F4A7C15L);
    h = fmix(h ^ (step * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L));
    h = fmix(h ^ ((long) stream * 0x94D049BB133111EBL + 0x2545F4914F6CDD1DL));
    return h;
  }

  private static long fmix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "StepRandom(seed=" + seed + ", step=" + step + ", stream=" + stream + ")";
  }
}
