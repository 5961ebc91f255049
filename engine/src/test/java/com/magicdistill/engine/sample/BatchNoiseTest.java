package com.magicdistill.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.magicdistill.engine.data.ClipShape;
import org.junit.jupiter.api.Test;

/** Noise drawn on every core is the noise drawn clip after clip. */
class BatchNoiseTest {
  @Test
  void parallelDrawsEqualSequentialOnes() {
    ClipShape shape = new ClipShape(4, 8, 8);
    int n = 37;
    float[] sequential = new float[n * shape.size()];
    for (int i = 0; i < n; i++) {
      float[] clip = ClipGenerator.startingNoise(11, 100 + i, shape);
      System.arraycopy(clip, 0, sequential, i * shape.size(), clip.length);
    }
    for (int repeat = 0; repeat < 3; repeat++) {
      assertArrayEquals(
          sequential,
          BatchNoise.draw(100, n, shape.size(), i -> ClipGenerator.startingNoise(11, i, shape)),
          0f);
    }
  }
}
