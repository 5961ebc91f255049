package com.magicdistill.engine.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic synthetic dataset: clean portraits, general clips and poor portraits (every
 * {@link Defect} other than NONE), in that order. The same {@link SynthSpec} always yields
 * byte-identical clips (all randomness comes from {@link java.util.Random} streams derived from the
 * seed, and rendering is pure Java2D).
 */
public final class SyntheticDataset {
  private SyntheticDataset() {}

  public static List<LabeledClip> generate(SynthSpec spec) {
    List<LabeledClip> out = new ArrayList<>();
    PortraitRenderer portraits = new PortraitRenderer(spec.shape(), spec.motionModel());
    for (int i = 0; i < spec.portraits(); i++) {
      out.add(portraits.render(spec.seed(), i));
    }
    GeneralClipRenderer general = new GeneralClipRenderer(spec.shape());
    for (int i = 0; i < spec.general(); i++) {
      out.add(general.render(spec.seed(), i));
    }
    PoorClipMaker poor = new PoorClipMaker(spec.shape(), spec.motionModel());
    for (Defect d : Defect.values()) {
      if (d.isPoor()) {
        for (int i = 0; i < spec.poorPerDefect(); i++) {
          out.add(poor.make(d, spec.seed(), i));
        }
      }
    }
    return out;
  }

  /** One clean {@link MotionModel#V1} portrait clip, e.g. for held-out evaluation. */
  public static LabeledClip portrait(long seed, int index, ClipShape shape) {
    return new PortraitRenderer(shape).render(seed, index);
  }

  /** One clean portrait clip moving as {@code motion} says (held-out sets of that data). */
  public static LabeledClip portrait(long seed, int index, ClipShape shape, MotionModel motion) {
    return new PortraitRenderer(shape, motion).render(seed, index);
  }
}
