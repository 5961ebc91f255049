package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.Clip;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedMotionTest {
  private final List<Clip> real = PortraitClips.HELD_OUT_16;
  private final PairedMotion motion = new PairedMotion();

  @Test
  void realAgainstItselfIsExactlyOne() {
    assertEquals(1.0, motion.ratio(real, real), 0.0);
  }

  @Test
  void anchorsOrderTheScale() {
    double frozen = motion.ratio(Anchors.firstFrameRepeated(real), real);
    double blurred = motion.ratio(Anchors.temporallyBlurred(real), real);
    double noisy = motion.ratio(Anchors.noisy(real, 7), real);
    System.out.printf("motion ratio frozen=%.4f tblur=%.4f noisy=%.4f%n", frozen, blurred, noisy);
    assertTrue(frozen < 0.1, "first frame repeated barely moves: " + frozen);
    assertTrue(blurred > frozen + 0.1 && blurred < 0.9, "blur damps motion: " + blurred);
  }

  @Test
  void intervalContainsTheRatioAndIsDeterministic() {
    List<Clip> blurred = Anchors.temporallyBlurred(real);
    Interval a = motion.ratio(blurred, real, new Bootstrap(500, 3));
    Interval b = motion.ratio(blurred, real, new Bootstrap(500, 3));
    System.out.println("motion ratio tblur " + a);
    assertEquals(a, b);
    assertEquals(motion.ratio(blurred, real), a.value(), 1e-12);
    assertTrue(a.lo() < a.value() && a.value() < a.hi(), a.toString());
  }

  @Test
  void rememberedPairScoresAreTheSameScoresComputedOnce() {
    DynamicDegree plain = new DynamicDegree();
    DynamicDegree remembering = plain.rememberingPairScores();
    Clip clip = real.get(0);
    double[] first = remembering.pairScores(clip);
    assertArrayEquals(plain.pairScores(clip), first);
    java.util.Arrays.fill(first, 99); // callers may sort or overwrite what they get
    double[] again = remembering.pairScores(clip);
    assertArrayEquals(plain.pairScores(clip), again);
    assertEquals(1, remembering.rememberedClips(), "one clip, its flow computed once");
    assertEquals(remembering.clipScore(clip), plain.clipScore(clip), 0.0);
    List<Clip> two = real.subList(0, 2);
    List<Clip> blurred = Anchors.temporallyBlurred(two);
    assertEquals(
        motion.ratio(blurred, two), new PairedMotion(remembering).ratio(blurred, two), 0.0);
    assertEquals(4, remembering.rememberedClips());
    assertEquals(0, plain.rememberedClips());
  }

  @Test
  void needsPairedClips() {
    assertThrows(IllegalArgumentException.class, () -> motion.ratio(real.subList(0, 3), real));
  }
}
