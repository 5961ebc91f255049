package com.magicdistill.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.random.StepRandom;

/**
 * The few-step sampler of consistency models (LCM's multistep sampling) and of DMD2 generators,
 * whose one-call prediction of x0 is re-noised with fresh noise to the next level:
 *
 * <pre>
 *   x = noise (sigma_0 = 1)
 *   for i = 0 .. steps-1:
 *     x0 = f_theta(x, sigma_i, c) = x - sigma_i v_theta(x, sigma_i, c)
 *     x  = sigma_{i+1} > 0 ? (1 - sigma_{i+1}) x0 + sigma_{i+1} eps_i : x0
 * </pre>
 *
 * One model call per step (4 with {@link SigmaSchedule#FOUR_STEP}). The fresh noise eps_i of clip j
 * comes from {@code StepRandom.forStep(seed, j, FRESH_NOISE_STREAM + i)}, where j is the clip's
 * global index ({@code firstClipIndex} + row): a clip's result depends on (seed, its index, its
 * starting noise and conditioning) only, not on how clips are batched.
 */
public final class RenoisingSampler implements Sampler {
  /** Base stream id of the re-noising draws (ClipGenerator's starting noise uses 7001). */
  public static final int FRESH_NOISE_STREAM = 7100;

  private final Block model;
  private final SigmaSchedule schedule;
  private final long seed;
  private long modelCalls;

  public RenoisingSampler(Block model, SigmaSchedule schedule, long seed) {
    this.model = model;
    this.schedule = schedule;
    this.seed = seed;
  }

  /** The 4-step LCM sampler on the recipe's schedule {1, .9375, .8333, .625, 0}. */
  public static RenoisingSampler fourStep(Block model, long seed) {
    return new RenoisingSampler(model, SigmaSchedule.FOUR_STEP, seed);
  }

  /** {@link #sample(NDArray, NDArray, long)} for clips numbered from 0. */
  public NDArray sample(NDArray noise, NDArray firstFrame) {
    return sample(noise, firstFrame, 0);
  }

  /**
   * @param noise x at sigma = 1, (B, 3, T, H, W)
   * @param firstFrame conditioning frame (B, 3, H, W)
   * @param firstClipIndex global index of row 0 (seeds the re-noising of each row)
   * @return x at sigma = 0, in {@code noise}'s manager
   */
  @Override
  public NDArray sample(NDArray noise, NDArray firstFrame, long firstClipIndex) {
    int b = Math.toIntExact(noise.getShape().get(0));
    int perClip = Math.toIntExact(noise.getShape().size() / b);
    double[] sigmas = schedule.sigmas();
    return SamplingLoop.run(
        noise,
        firstFrame,
        sigmas.length - 1,
        (step, ps, x, i) -> {
          NDArray sigma = step.full(new Shape(b), (float) sigmas[i]);
          NDArray v = model.forward(ps, new NDList(x, sigma, firstFrame), false).singletonOrThrow();
          NDArray x0 = RectifiedFlow.x0FromVelocity(x, v, sigma);
          modelCalls++;
          double next = sigmas[i + 1];
          if (next <= 0) {
            return x0;
          }
          float[] fresh =
              BatchNoise.draw(
                  firstClipIndex, b, perClip, clip -> freshNoise(seed, clip, i, perClip));
          NDArray eps = step.create(fresh, noise.getShape());
          return x0.mul(step.full(new Shape(), (float) (1 - next)))
              .add(eps.mul(step.full(new Shape(), (float) next)));
        });
  }

  /**
   * The fresh noise eps_i that re-noises clip {@code clipIndex} after step {@code step} (drawn for
   * every step whose next sigma is above 0): {@code perClip} values, (3, T, H, W) flattened.
   */
  public static float[] freshNoise(long seed, long clipIndex, int step, int perClip) {
    return StepRandom.forStep(seed, clipIndex, FRESH_NOISE_STREAM + step).gaussian(perClip);
  }

  @Override
  public long modelCalls() {
    return modelCalls;
  }

  @Override
  public SigmaSchedule schedule() {
    return schedule;
  }

  public long seed() {
    return seed;
  }
}
