package com.magicdistill.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityFilterTest {
  private final QualityFilter filter = new QualityFilter();

  @Test
  void rejectsEveryDefectWithHighPrecisionAndRecall() {
    List<LabeledClip> set =
        SyntheticDataset.generate(new SynthSpec(2024, ClipShape.DEFAULT, 40, 0, 8));
    FilterReport report = filter.filter(set);
    PrecisionRecall pr = report.precisionRecall(set);
    Map<Defect, Double> rates = report.rejectionRateByDefect(set);
    System.out.printf(
        "quality filter on 40 clean + 8x5 poor portraits: precision=%.3f recall=%.3f %s%n"
            + "rejection rate by defect: %s%n",
        pr.precision(), pr.recall(), pr, rates);
    for (Defect d : Defect.values()) {
      if (d.isPoor()) {
        assertTrue(rates.get(d) >= 0.875, d + " rejected in " + rates.get(d));
      }
    }
    assertTrue(rates.get(Defect.NONE) <= 0.1, "clean rejected: " + rates.get(Defect.NONE));
    assertTrue(pr.precision() >= 0.9, "precision " + pr.precision());
    assertTrue(pr.recall() >= 0.9, "recall " + pr.recall());
  }

  @Test
  void eachDefectIsRejectedForItsOwnReason() {
    PoorClipMaker maker = new PoorClipMaker(ClipShape.DEFAULT);
    assertReason(maker.make(Defect.BLUR, 5, 0), "blurry");
    assertReason(maker.make(Defect.FROZEN, 5, 0), "frozen");
    assertReason(maker.make(Defect.HARD_CUT, 5, 0), "cut");
    assertReason(maker.make(Defect.FACE_OUT_OF_FRAME, 5, 0), "no subject");
    assertReason(maker.make(Defect.FLICKER, 5, 0), "flicker");
  }

  @Test
  void heldOutCleanPortraitsAreKept() {
    int kept = 0;
    for (int i = 0; i < 10; i++) {
      QualityVerdict v = filter.assess(SyntheticDataset.portrait(777, i, ClipShape.DEFAULT).clip());
      kept += v.kept() ? 1 : 0;
      assertEquals(v.kept(), v.reasons().isEmpty());
      assertEquals(6, v.measures().size());
    }
    assertTrue(kept >= 9, "kept " + kept + "/10");
  }

  @Test
  void measuresBehaveOnHandMadeClips() {
    ClipShape s = new ClipShape(8, 8, 8);
    float[] flat = new float[s.size()];
    java.util.Arrays.fill(flat, 0.5f);
    Clip still = new Clip("still", s, flat);
    assertEquals(0, QualityMeasures.sharpness(still), 1e-9);
    assertEquals(0, QualityMeasures.motion(still), 1e-9);
    assertEquals(0, QualityMeasures.flicker(still), 1e-9);
    assertEquals(0, QualityMeasures.minSkinFraction(still), 1e-9);

    // a linear fade has no flicker; alternating brightness has
    float[] fade = new float[s.size()];
    float[] alt = new float[s.size()];
    for (int t = 0; t < 8; t++) {
      for (int i = 0; i < s.frameSize(); i++) {
        fade[t * s.frameSize() + i] = 0.2f + 0.05f * t;
        alt[t * s.frameSize() + i] = t % 2 == 0 ? 0.3f : 0.7f;
      }
    }
    assertEquals(0, QualityMeasures.flicker(new Clip("fade", s, fade)), 1e-6);
    assertEquals(0.2, QualityMeasures.flicker(new Clip("alt", s, alt)), 0.02);

    // one jump among still frames: a cut
    float[] cut = flat.clone();
    for (int i = 4 * s.frameSize(); i < cut.length; i++) {
      cut[i] = 0.9f;
    }
    Clip cutClip = new Clip("cut", s, cut);
    assertEquals(0.4, QualityMeasures.maxJump(cutClip), 1e-6);
    assertTrue(QualityMeasures.cutRatio(cutClip) > 100);
  }

  @Test
  void precisionRecallCountsRejectedCleanClipsAsFalsePositives() {
    Clip a = new Clip("a", new ClipShape(2, 4, 4), new float[96]);
    Clip b = new Clip("b", new ClipShape(2, 4, 4), new float[96]);
    List<LabeledClip> labels =
        List.of(
            new LabeledClip(a, ClipKind.PORTRAIT, Defect.NONE, null),
            new LabeledClip(b, ClipKind.PORTRAIT, Defect.BLUR, null));
    FilterReport both =
        new FilterReport(
            List.of(
                new QualityVerdict("a", false, List.of("x"), Map.of()),
                new QualityVerdict("b", false, List.of("y"), Map.of())));
    PrecisionRecall pr = both.precisionRecall(labels);
    assertEquals(new PrecisionRecall(1, 1, 0, 0), pr);
    assertEquals(0.5, pr.precision(), 1e-12);
    assertEquals(1.0, pr.recall(), 1e-12);
  }

  private void assertReason(LabeledClip c, String reason) {
    QualityVerdict v = filter.assess(c.clip());
    assertFalse(v.kept(), c.id());
    assertTrue(
        v.reasons().stream().anyMatch(r -> r.startsWith(reason)), c.id() + ": " + v.reasons());
  }
}
