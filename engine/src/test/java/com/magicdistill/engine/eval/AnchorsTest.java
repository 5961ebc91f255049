package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.magicdistill.engine.data.Clip;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorsTest {
  private final List<Clip> real = List.of(TestClips.movingDisc(0), TestClips.movingDisc(1));

  @Test
  void firstFrameRepeatedForEveryFrame() {
    float[] before = real.get(0).rgb().clone();
    Clip frozen = Anchors.firstFrameRepeated(real).get(0);
    assertEquals(16, frozen.frames());
    for (int t = 0; t < frozen.frames(); t++) {
      assertArrayEquals(real.get(0).frame(0), frozen.frame(t));
    }
    assertArrayEquals(before, real.get(0).rgb(), "input untouched");
  }

  @Test
  void noiseHasTheRequestedStdAndIsSeeded() {
    List<Clip> noisy = Anchors.noisy(real, 11);
    double s = 0;
    float[] a = real.get(0).rgb();
    float[] b = noisy.get(0).rgb();
    for (int i = 0; i < a.length; i++) {
      s += (b[i] - a[i]) * (b[i] - a[i]);
    }
    assertEquals(Anchors.NOISE_SIGMA, Math.sqrt(s / a.length), 0.003);
    assertArrayEquals(b, Anchors.noisy(real, 11).get(0).rgb());
    assertNotEquals(b[0] - a[0], noisy.get(1).rgb()[0] - real.get(1).rgb()[0]);
  }

  @Test
  void temporalBlurIsACentredTruncatedBox() {
    Clip clip = real.get(0);
    Clip blurred = Anchors.temporallyBlurred(real).get(0);
    int i = clip.shape().index(0, 10, 12, 1);
    int n = clip.shape().frameSize();
    float[] x = clip.rgb();
    double mid = (x[i + 3 * n] + x[i + 4 * n] + x[i + 5 * n] + x[i + 6 * n] + x[i + 7 * n]) / 5.0;
    double first = (x[i] + x[i + n] + x[i + 2 * n]) / 3.0;
    assertEquals(mid, blurred.rgb()[i + 5 * n], 1e-6);
    assertEquals(first, blurred.rgb()[i], 1e-6);
    assertArrayEquals(x, Anchors.temporallyBlurred(real, 0).get(0).rgb());
  }
}
