package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.Clip;
import org.junit.jupiter.api.Test;

class HandcraftedFeaturesV1Test {
  private final HandcraftedFeaturesV1 fx = new HandcraftedFeaturesV1();
  private final Clip clip = TestClips.movingDisc(0);

  @Test
  void dimensionsAndIdAreFixed() {
    assertEquals("md-feat-v1", fx.id());
    assertEquals(184, fx.frameDim());
    assertEquals(391, fx.clipDim());
    assertEquals(fx.frameDim(), fx.frameFeatures(clip, 3).length);
    assertEquals(fx.clipDim(), fx.clipFeatures(clip).length);
  }

  @Test
  void deterministicAcrossInstances() {
    assertArrayEquals(fx.clipFeatures(clip), new HandcraftedFeaturesV1().clipFeatures(clip), 0.0);
  }

  @Test
  void greyFrameHasOnlyColourMeans() {
    float[] grey = new float[32 * 32 * 3];
    java.util.Arrays.fill(grey, 0.5f);
    double[] f = fx.frameFeatures(FrameOps.stillClip("g", grey, 32, 32), 0);
    for (int i = 0; i < f.length; i++) {
      double expected = i < HandcraftedFeaturesV1.COLOUR_DIM && i % 2 == 0 ? 0.5 : 0.0;
      assertEquals(expected, f[i], 1e-6, "feature " + i);
    }
  }

  @Test
  void blurLowersGradientEnergy() {
    double[] sharp = fx.frameFeatures(clip, 0);
    double[] blur = fx.frameFeatures(TestClips.blurred(clip), 0);
    double s = 0;
    double b = 0;
    for (int i = HandcraftedFeaturesV1.COLOUR_DIM;
        i < HandcraftedFeaturesV1.COLOUR_DIM + HandcraftedFeaturesV1.GRADIENT_DIM;
        i++) {
      s += sharp[i];
      b += blur[i];
    }
    assertTrue(b < 0.9 * s, b + " vs " + s);
  }

  @Test
  void temporalFeaturesSeeFlickerAndFreezing() {
    int temporal = 2 * HandcraftedFeaturesV1.FRAME_DIM;
    double[] clean = fx.clipFeatures(clip);
    double[] flicker = fx.clipFeatures(TestClips.flickering(clip, 1));
    double[] frozen = fx.clipFeatures(TestClips.frozen(clip));
    int highBand = temporal + 16 + 3;
    assertTrue(flicker[highBand] > clean[highBand], "high temporal band rises with flicker");
    for (int i = temporal; i < temporal + 16; i++) {
      assertEquals(0.0, frozen[i], 1e-12, "no frame difference when frozen");
    }
    int lag1 = temporal + 16 + 4;
    assertEquals(1.0, frozen[lag1], 1e-9);
    assertTrue(clean[lag1] < 1.0 && clean[lag1] > clean[lag1 + 2], "correlation decays with lag");
  }
}
