package com.magicdistill.engine.distill.lcm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.model.Tensors;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.StepRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ClipGenerator} for the consistency sampler: batched generation from conditioning frames
 * with the same starting noise per (seed, clip index) as {@code ClipGenerator} (stream {@link
 * ClipGenerator#NOISE_STREAM}), so LCM-4 starts from exactly the noise every other compared method
 * starts from. The re-noising draws are per (seed, clip index, step) as well, so results do not
 * depend on the batch size.
 */
public final class ConsistencyClipGenerator {
  private final ClipShape shape;
  private final int batchSize;

  public ConsistencyClipGenerator(ClipShape shape, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException(
          "batchSize must be > 0 (got " + batchSize + "): set --batch-size to a positive number");
    }
    this.shape = shape;
    this.batchSize = batchSize;
  }

  /**
   * @param firstFrames conditioning frames (H,W,C in [0, 1]), one clip each
   * @param seed noise seed shared by all compared methods (also seeds the re-noising)
   */
  public ClipGenerator.Generated generate(
      Block model, SigmaSchedule schedule, List<float[]> firstFrames, long seed, String idPrefix) {
    ConsistencySampler sampler = new ConsistencySampler(model, schedule, seed);
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
          float[] n =
              StepRandom.forStep(seed, i, ClipGenerator.NOISE_STREAM).gaussian(shape.size());
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
    return new ClipGenerator.Generated(
        out, sampler.modelCalls() / Math.max(1, batches), ms / Math.max(1, firstFrames.size()));
  }
}
