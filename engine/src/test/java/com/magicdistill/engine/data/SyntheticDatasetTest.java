package com.magicdistill.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {
  private static final SynthSpec SMALL = new SynthSpec(11, ClipShape.DEFAULT, 3, 3, 1);

  @Test
  void sameSeedGivesByteIdenticalClips() {
    List<LabeledClip> a = SyntheticDataset.generate(SMALL);
    List<LabeledClip> b = SyntheticDataset.generate(SMALL);
    assertEquals(3 + 3 + 5, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).id(), b.get(i).id());
      assertArrayEquals(a.get(i).clip().rgb(), b.get(i).clip().rgb(), a.get(i).id());
    }
  }

  @Test
  void differentSeedGivesDifferentClips() {
    Clip a = SyntheticDataset.portrait(1, 0, ClipShape.DEFAULT).clip();
    Clip b = SyntheticDataset.portrait(2, 0, ClipShape.DEFAULT).clip();
    assertFalse(Arrays.equals(a.rgb(), b.rgb()));
  }

  @Test
  void labelsAndKindsMatchTheSpec() {
    List<LabeledClip> all = SyntheticDataset.generate(SMALL);
    assertEquals(3, all.stream().filter(c -> c.kind() == ClipKind.GENERAL).count());
    assertEquals(8, all.stream().filter(c -> c.kind() == ClipKind.PORTRAIT).count());
    for (Defect d : Defect.values()) {
      long n = all.stream().filter(c -> c.defect() == d).count();
      assertEquals(d == Defect.NONE ? 6 : 1, n, d.name());
    }
    assertEquals(all.size(), all.stream().map(LabeledClip::id).distinct().count());
  }

  @Test
  void rendersAtAnyShapeWithValuesInRange() {
    ClipShape odd = new ClipShape(5, 24, 40);
    List<LabeledClip> all = SyntheticDataset.generate(new SynthSpec(3, odd, 2, 3, 1));
    for (LabeledClip c : all) {
      assertEquals(odd, c.clip().shape());
      for (float v : c.clip().rgb()) {
        assertTrue(v >= 0f && v <= 1f, c.id());
      }
    }
    // the face is still found by the skin rule at a non-square shape
    assertTrue(QualityMeasures.minSkinFraction(all.get(0).clip()) > 0.05);
  }

  @Test
  void portraitFaceIsSkinColouredFillsAboutHalfTheHeightAndBackgroundIsNot() {
    PortraitRenderer r = new PortraitRenderer(ClipShape.DEFAULT);
    for (int i = 0; i < 12; i++) {
      Clip c = r.render(5, i).clip();
      for (int t = 0; t < c.frames(); t++) {
        assertTrue(QualityMeasures.skinFraction(c, t) > 0.08, c.id() + " frame " + t);
        // top corners show background, which is never skin coloured
        assertFalse(isSkin(c, t, 0, 0), c.id());
        assertFalse(isSkin(c, t, 0, 31), c.id());
      }
      // vertical extent of the skin in the face column band: face (+ neck) ~40-75% of height
      int top = -1;
      int bottom = -1;
      for (int y = 0; y < 32; y++) {
        for (int x = 8; x < 24; x++) {
          if (isSkin(c, 0, y, x)) {
            top = top < 0 ? y : top;
            bottom = y;
          }
        }
      }
      double extent = (bottom - top + 1) / 32.0;
      assertTrue(extent > 0.3 && extent < 0.85, c.id() + " skin extent " + extent);
      assertTrue(top > 0 && bottom < 31, c.id() + " face must stay in frame");
    }
  }

  @Test
  void portraitsMoveTalkAndSometimesBlink() {
    PortraitRenderer r = new PortraitRenderer(ClipShape.DEFAULT);
    int blinking = 0;
    int pausing = 0;
    int talking = 0;
    for (int i = 0; i < 30; i++) {
      PortraitParams p = r.params(9, i);
      boolean anyBlink = false;
      for (boolean b : p.eyesClosed()) {
        anyBlink |= b;
      }
      int closedFrames = 0;
      for (boolean b : p.eyesClosed()) {
        closedFrames += b ? 1 : 0;
      }
      assertTrue(closedFrames <= 4, "blinks are brief");
      blinking += anyBlink ? 1 : 0;
      double max = Arrays.stream(p.mouthOpen()).max().orElse(0);
      talking += max > 0.3 ? 1 : 0;
      pausing += Arrays.stream(p.mouthOpen()).anyMatch(v -> v == 0) ? 1 : 0;
    }
    assertTrue(blinking > 3 && blinking < 27, "occasional blinks: " + blinking);
    assertTrue(talking > 20, "mouth opens: " + talking);
    assertTrue(pausing > 5, "speech pauses: " + pausing);
    assertTrue(QualityMeasures.motion(r.render(9, 0).clip()) > 0.002);
  }

  @Test
  void skinTonesSpanAWideRangeAndBackgroundsAreNotSkin() {
    Random rnd = new Random(1);
    double minY = 1;
    double maxY = 0;
    for (int i = 0; i < 200; i++) {
      java.awt.Color s = PortraitParams.randomSkin(rnd);
      double y = (0.299 * s.getRed() + 0.587 * s.getGreen() + 0.114 * s.getBlue()) / 255;
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      assertTrue(SkinRule.isSkin(s.getRed() / 255.0, s.getGreen() / 255.0, s.getBlue() / 255.0));
      java.awt.Color bg = PortraitParams.randomNonSkin(rnd);
      assertFalse(
          SkinRule.isSkin(bg.getRed() / 255.0, bg.getGreen() / 255.0, bg.getBlue() / 255.0));
    }
    assertTrue(minY < 0.35 && maxY > 0.6, "light to dark skin: " + minY + ".." + maxY);
  }

  @Test
  void generalClipsMoveAndAreNotPortraits() {
    GeneralClipRenderer g = new GeneralClipRenderer(ClipShape.DEFAULT);
    for (int i = 0; i < 6; i++) {
      LabeledClip c = g.render(4, i);
      assertEquals(ClipKind.GENERAL, c.kind());
      assertTrue(QualityMeasures.motion(c.clip()) > 0.001, c.id());
    }
  }

  private static boolean isSkin(Clip c, int t, int y, int x) {
    return SkinRule.isSkin(c.get(t, y, x, 0), c.get(t, y, x, 1), c.get(t, y, x, 2));
  }
}
