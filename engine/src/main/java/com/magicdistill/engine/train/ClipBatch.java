package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.Tensors;
import com.magicdistill.engine.random.StepRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A training batch drawn with replacement from a clip set by a step's {@link StepRandom}: clean
 * clips x0 (B,3,T,H,W) and their first frames (B,3,H,W), both in [-1, 1].
 */
public record ClipBatch(NDArray x0, NDArray firstFrames) {
  public static ClipBatch sample(List<Clip> clips, int batchSize, StepRandom rng, NDManager m) {
    List<Clip> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      batch.add(clips.get(rng.nextInt(clips.size())));
    }
    return new ClipBatch(Tensors.clips(m, batch), Tensors.firstFrames(m, batch));
  }

  public int size() {
    return (int) x0.getShape().get(0);
  }
}
