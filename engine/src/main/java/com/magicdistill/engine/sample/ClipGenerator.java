package com.magicdistill.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.magicdistill.engine.ConfigException;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.model.Tensors;
import com.magicdistill.engine.random.StepRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates clips from conditioning frames with a sampler, in batches, timing it. The starting
 * noise of clip i depends only on (seed, i), so every method compared in one evaluation starts from
 * exactly the same noise for the same conditioning frame.
 */
public final class ClipGenerator {
  /** Stream id of sampling noise in {@link StepRandom} (training uses other streams). */
  public static final int NOISE_STREAM = 7001;

  /**
   * Generated clips with their cost: model calls per clip (network evaluations each clip went
   * through, the paper's measure: 28 vs 4) and wall milliseconds per clip.
   */
  public record Generated(List<Clip> clips, long modelCallsPerClip, double wallMsPerClip) {}

  /**
   * One generated batch as the sampler saw it, for exact comparisons with other implementations
   * (docs/MODEL_PACKAGE.md): rows {@code firstClip ..}; flat float32 arrays in (B, 3, T, H, W) for
   * {@code noise} (the starting x at sigma = 1) and {@code output} (the sampler's x at sigma = 0,
   * before clamping to pixels), and (B, 3, H, W) in [-1, 1] for {@code firstFrames}.
   */
  public record Batch(
      int firstClip, int clips, float[] noise, float[] firstFrames, float[] output) {}

  /** Receives every batch a generator makes. */
  public interface BatchObserver {
    void batch(Batch batch);
  }

  private final ClipShape shape;
  private final int batchSize;

  public ClipGenerator(ClipShape shape, int batchSize) {
    ConfigException.require(batchSize > 0, "batchSize", "be > 0", batchSize, "a positive count");
    this.shape = shape;
    this.batchSize = batchSize;
  }

  /** Euler sampling of {@code model} (the teacher's sampler). */
  public Generated generate(
      Block model, SigmaSchedule schedule, List<float[]> firstFrames, long seed, String idPrefix) {
    return generate(new EulerSampler(model, schedule), firstFrames, seed, idPrefix);
  }

  /**
   * The distilled generator's sampler, 4-step re-noising on {@link SigmaSchedule#FOUR_STEP} (what a
   * training probe and the paper table's distilled rows sample with), noise from {@code seed}.
   */
  public Generated fourStepRenoising(
      Block generator, List<float[]> firstFrames, long seed, String idPrefix) {
    return generate(
        SamplerKind.RENOISE.create(generator, SigmaSchedule.FOUR_STEP, seed),
        firstFrames,
        seed,
        idPrefix);
  }

  /**
   * @param sampler a fresh sampler (its model-call count starts at zero)
   * @param firstFrames conditioning frames (H,W,C in [0, 1]), one clip each
   * @param seed noise seed shared by all compared methods
   */
  public Generated generate(
      Sampler sampler, List<float[]> firstFrames, long seed, String idPrefix) {
    return generate(sampler, firstFrames, seed, idPrefix, null);
  }

  /** As {@link #generate(Sampler, List, long, String)}, showing each batch to {@code observer}. */
  public Generated generate(
      Sampler sampler,
      List<float[]> firstFrames,
      long seed,
      String idPrefix,
      BatchObserver observer) {
    List<Clip> out = new ArrayList<>(firstFrames.size());
    int batches = 0;
    long t0 = System.nanoTime();
    for (int start = 0; start < firstFrames.size(); start += batchSize) {
      int end = Math.min(firstFrames.size(), start + batchSize);
      batches++;
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray cond = Tensors.frames(m, firstFrames.subList(start, end), shape);
        float[] noise =
            BatchNoise.draw(start, end - start, shape.size(), i -> startingNoise(seed, i, shape));
        NDArray x =
            m.create(
                noise, new Shape(end - start, 3, shape.frames(), shape.height(), shape.width()));
        NDArray result = sampler.sample(x, cond, start);
        if (observer != null) {
          observer.batch(
              new Batch(start, end - start, noise, cond.toFloatArray(), result.toFloatArray()));
        }
        List<Clip> clips = Tensors.toClips(result, idPrefix);
        for (int i = 0; i < clips.size(); i++) {
          Clip c = clips.get(i);
          out.add(new Clip(idPrefix + "-" + (start + i), c.shape(), c.rgb()));
        }
      }
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    return new Generated(
        out, sampler.modelCalls() / Math.max(1, batches), ms / Math.max(1, firstFrames.size()));
  }

  /** The starting noise (x at sigma = 1) of clip {@code clipIndex}: (3, T, H, W) flattened. */
  public static float[] startingNoise(long seed, long clipIndex, ClipShape shape) {
    return StepRandom.forStep(seed, clipIndex, NOISE_STREAM).gaussian(shape.size());
  }
}
