package com.magicdistill.engine.sample;

import java.util.function.LongFunction;
import java.util.stream.IntStream;

/**
 * The noise of a batch of clips, drawn on every core: each clip's values come from its own stream
 * ({@code StepRandom}, keyed by the clip's index), so drawing them in parallel gives exactly the
 * values of drawing them one after the other. Drawing is the samplers' only work outside the model
 * (Box-Muller on StrictMath, about 3 ms per clip of the default shape on one core).
 */
final class BatchNoise {
  private BatchNoise() {}

  /**
   * {@code clips} rows of {@code perClip} values, row r being {@code clipNoise.apply(firstClip +
   * r)}.
   */
  static float[] draw(long firstClip, int clips, int perClip, LongFunction<float[]> clipNoise) {
    float[] out = new float[Math.multiplyExact(clips, perClip)];
    IntStream.range(0, clips)
        .parallel()
        .forEach(
            row -> {
              float[] values = clipNoise.apply(firstClip + row);
              if (values.length != perClip) {
                throw new IllegalStateException(
                    "clip " + (firstClip + row) + " drew " + values.length + " values");
              }
              System.arraycopy(values, 0, out, row * perClip, perClip);
            });
    return out;
  }
}
