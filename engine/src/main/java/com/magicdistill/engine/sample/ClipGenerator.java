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
   * @param sampler a fresh sampler (its model-call count starts at zero)
   * @param firstFrames conditioning frames (H,W,C in [0, 1]), one clip each
   * @param seed noise seed shared by all compared methods
   */
  public Generated generate(
      Sampler sampler, List<float[]> firstFrames, long seed, String idPrefix) {
    List<Clip> out = new ArrayList<>(firstFrames.size());
    int batches = 0;
    long t0 = System.nanoTime();
    for (int start = 0; start < firstFrames.size(); start += batchSize) {
      int end = Math.min(firstFrames.size(), start + batchSize);
      batches++;
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray cond = Tensors.frames(m, firstFrames.subList(start, end), shape);
        float[] noise = new float[(end - start) * shape.size()];
        for (int i = start; i < end; i++) {
          float[] n = StepRandom.forStep(seed, i, NOISE_STREAM).gaussian(shape.size());
          System.arraycopy(n, 0, noise, (i - start) * shape.size(), n.length);
        }
        NDArray x =
            m.create(
                noise, new Shape(end - start, 3, shape.frames(), shape.height(), shape.width()));
        NDArray result = sampler.sample(x, cond, start);
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
}
