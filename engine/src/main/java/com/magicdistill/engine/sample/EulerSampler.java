package com.magicdistill.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * Euler integration of the flow ODE from sigma = 1 (noise) to 0 (data),
 * docs/ALGORITHM.md#euler-sampler:
 *
 * <pre>  x_next = x + v_theta(x, sigma, c) * (sigma_next - sigma)</pre>
 *
 * One model call per step; {@link #modelCalls()} counts them for the speed report.
 */
public final class EulerSampler implements Sampler {
  private final Block model;
  private final SigmaSchedule schedule;
  private long modelCalls;

  public EulerSampler(Block model, SigmaSchedule schedule) {
    this.model = model;
    this.schedule = schedule;
  }

  /**
   * @param noise x at sigma = 1, (B, 3, T, H, W)
   * @param firstFrame conditioning frame (B, 3, H, W)
   * @return x at sigma = 0, in {@code noise}'s manager
   */
  @Override
  public NDArray sample(NDArray noise, NDArray firstFrame, long firstClipIndex) {
    return sample(noise, firstFrame);
  }

  /** Integrates from {@code noise}; deterministic, so clip indices play no part. */
  public NDArray sample(NDArray noise, NDArray firstFrame) {
    long b = noise.getShape().get(0);
    double[] sigmas = schedule.sigmas();
    return SamplingLoop.run(
        noise,
        firstFrame,
        sigmas.length - 1,
        (step, ps, x, i) -> {
          NDArray sigma = step.full(new Shape(b), (float) sigmas[i]);
          NDArray v = model.forward(ps, new NDList(x, sigma, firstFrame), false).singletonOrThrow();
          modelCalls++;
          return x.add(v.mul(step.full(new Shape(), (float) (sigmas[i + 1] - sigmas[i]))));
        });
  }

  @Override
  public long modelCalls() {
    return modelCalls;
  }

  @Override
  public SigmaSchedule schedule() {
    return schedule;
  }
}
