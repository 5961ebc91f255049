package com.magicdistill.engine.data;

import java.util.Random;

/**
 * Makes deliberately poor clips from portrait renders, one per {@link Defect}, so the quality
 * filter can be measured against known labels.
 */
public final class PoorClipMaker {
  private final ClipShape shape;
  private final PortraitRenderer portraits;
  private final MotionModel motion;

  /** Poor clips made from {@link MotionModel#V1} portraits. */
  public PoorClipMaker(ClipShape shape) {
    this(shape, MotionModel.V1);
  }

  /** Poor clips made from portraits that move as {@code motion} says. */
  public PoorClipMaker(ClipShape shape, MotionModel motion) {
    this.shape = shape;
    this.motion = motion;
    this.portraits = new PortraitRenderer(shape, motion);
  }

  /** Poor clip {@code index} with the given defect under master {@code seed} (deterministic). */
  public LabeledClip make(Defect defect, long seed, int index) {
    if (!defect.isPoor()) {
      throw new IllegalArgumentException("not a defect: " + defect);
    }
    String generator = (motion == MotionModel.V1 ? "poor-" : "poor-v2-") + defect.name();
    Random r = Seeds.random(seed, generator, index);
    PortraitParams p = PortraitParams.random(r, shape.frames(), motion);
    String id = generator.toLowerCase(java.util.Locale.ROOT) + "-" + seed + "-" + index;
    Clip clip =
        switch (defect) {
          case BLUR -> gaussianBlur(portraits.render(p, id), 0.07 * shortSide());
          case FROZEN -> freeze(portraits.render(p, id), r.nextInt(shape.frames()), 0.0015, r);
          case HARD_CUT ->
              splice(
                  portraits.render(p, id),
                  portraits.render(PortraitParams.random(r, shape.frames(), motion), id),
                  shape.frames() / 2);
          case FACE_OUT_OF_FRAME -> portraits.render(outOfFrame(p, r), id);
          case FLICKER -> flicker(portraits.render(p, id), r);
          case NONE -> throw new AssertionError();
        };
    return new LabeledClip(
        clip, ClipKind.PORTRAIT, defect, ClipSource.synthetic(generator, seed, index));
  }

  private double shortSide() {
    return Math.min(shape.height(), shape.width());
  }

  /** Moves the face centre so that the face is mostly or fully outside the frame (left/right). */
  static PortraitParams outOfFrame(PortraitParams p, Random r) {
    double side = r.nextBoolean() ? -1 : 1;
    double offset = PortraitParams.uniform(r, 0.62, 0.8);
    return p.withFaceCenter(0.5 + side * offset, p.faceCy());
  }

  /** Separable Gaussian blur of every frame and channel (standard deviation in pixels). */
  static Clip gaussianBlur(Clip clip, double sigma) {
    ClipShape s = clip.shape();
    int radius = (int) Math.ceil(3 * sigma);
    float[] k = new float[2 * radius + 1];
    float sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
      sum += k[i + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    float[] src = clip.rgb();
    float[] tmp = new float[src.length];
    float[] out = new float[src.length];
    int h = s.height();
    int w = s.width();
    for (int t = 0; t < s.frames(); t++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < 3; c++) {
            float acc = 0;
            for (int i = -radius; i <= radius; i++) {
              int xx = Math.max(0, Math.min(w - 1, x + i));
              acc += k[i + radius] * src[s.index(t, y, xx, c)];
            }
            tmp[s.index(t, y, x, c)] = acc;
          }
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < 3; c++) {
            float acc = 0;
            for (int i = -radius; i <= radius; i++) {
              int yy = Math.max(0, Math.min(h - 1, y + i));
              acc += k[i + radius] * tmp[s.index(t, yy, x, c)];
            }
            out[s.index(t, y, x, c)] = acc;
          }
        }
      }
    }
    return new Clip(clip.id(), s, out);
  }

  /** Repeats frame {@code keep} for the whole clip, adding Gaussian noise of std {@code noise}. */
  static Clip freeze(Clip clip, int keep, double noise, Random r) {
    ClipShape s = clip.shape();
    float[] frame = clip.frame(keep);
    float[] out = new float[s.size()];
    for (int t = 0; t < s.frames(); t++) {
      int base = t * s.frameSize();
      for (int i = 0; i < frame.length; i++) {
        out[base + i] = clamp01(frame[i] + (float) (noise * r.nextGaussian()));
      }
    }
    return new Clip(clip.id(), s, out);
  }

  /** Frames {@code [0, cut)} from {@code a}, the rest from {@code b}. */
  static Clip splice(Clip a, Clip b, int cut) {
    float[] out = a.rgb().clone();
    int from = cut * a.shape().frameSize();
    System.arraycopy(b.rgb(), from, out, from, out.length - from);
    return new Clip(a.id(), a.shape(), out);
  }

  /**
   * Multiplies each frame by a gain that jumps between bright and dark: {@code 1 +- U(0.25, 0.45)},
   * the sign alternating (and sometimes repeating) from frame to frame.
   */
  static Clip flicker(Clip clip, Random r) {
    ClipShape s = clip.shape();
    float[] out = clip.rgb().clone();
    boolean up = r.nextBoolean();
    for (int t = 0; t < s.frames(); t++) {
      if (r.nextDouble() < 0.8) {
        up = !up;
      }
      float gain = (float) (1 + (up ? 1 : -1) * PortraitParams.uniform(r, 0.25, 0.45));
      int base = t * s.frameSize();
      for (int i = 0; i < s.frameSize(); i++) {
        out[base + i] = clamp01(out[base + i] * gain);
      }
    }
    return new Clip(clip.id(), s, out);
  }

  private static float clamp01(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
