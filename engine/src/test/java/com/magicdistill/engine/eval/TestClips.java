package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import java.util.Random;

/** Synthetic clips for metric tests: a smooth moving textured disc and degraded copies. */
public final class TestClips {
  public static final ClipShape SHAPE = ClipShape.DEFAULT;

  private TestClips() {}

  /** A striped disc (radius 7, soft edge) moving ~1.1 px/frame over a smooth static gradient. */
  public static Clip movingDisc(int variant) {
    Random rnd = new Random(100 + variant);
    double x0 = 8 + rnd.nextDouble() * 4;
    double y0 = 10 + rnd.nextDouble() * 8;
    double vx = 1.0 + 0.2 * rnd.nextDouble();
    double vy = 0.4 * (rnd.nextDouble() - 0.5);
    double phase = rnd.nextDouble() * 6;
    return render("disc-" + variant, x0, y0, vx, vy, phase, new double[] {0.2, 0.3, 0.25}, 1.0);
  }

  /** A different scene: other background, colours and place. */
  public static Clip otherScene(int variant) {
    Random rnd = new Random(900 + variant);
    double x0 = 20 + rnd.nextDouble() * 4;
    double y0 = 20 + rnd.nextDouble() * 4;
    return render("other-" + variant, x0, y0, -1.0, 0.0, 0, new double[] {0.7, 0.2, 0.6}, -1.0);
  }

  private static Clip render(
      String id, double x0, double y0, double vx, double vy, double phase, double[] bg, double s) {
    float[] rgb = new float[SHAPE.size()];
    int h = SHAPE.height();
    int w = SHAPE.width();
    for (int t = 0; t < SHAPE.frames(); t++) {
      double cx = x0 + vx * t;
      double cy = y0 + vy * t;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double[] back = {
            bg[0] + 0.3 * x / w, bg[1] + 0.2 * s * y / h, bg[2] + 0.2 * (x + y) / (h + w)
          };
          double r = Math.hypot(x - cx, y - cy);
          double alpha = Math.max(0, Math.min(1, 7.5 - r));
          double stripe = 0.5 + 0.35 * Math.sin(2 * Math.PI * ((x - cx) + phase) / 6.0);
          double[] disc = {stripe, 0.9 - 0.6 * stripe, 0.3 + 0.4 * stripe};
          for (int c = 0; c < 3; c++) {
            rgb[SHAPE.index(t, y, x, c)] = (float) (alpha * disc[c] + (1 - alpha) * back[c]);
          }
        }
      }
    }
    return new Clip(id, SHAPE, rgb);
  }

  /** Random brightness offset per frame (+-0.15). */
  public static Clip flickering(Clip clip, long seed) {
    Random rnd = new Random(seed);
    float[] rgb = clip.rgb().clone();
    int n = clip.shape().frameSize();
    for (int t = 0; t < clip.frames(); t++) {
      float off = (float) (0.3 * (rnd.nextDouble() - 0.5));
      for (int i = t * n; i < (t + 1) * n; i++) {
        rgb[i] = clamp01(rgb[i] + off);
      }
    }
    return new Clip(clip.id() + "-flicker", clip.shape(), rgb);
  }

  /** Frame 0 repeated. */
  public static Clip frozen(Clip clip) {
    float[] rgb = new float[clip.rgb().length];
    int n = clip.shape().frameSize();
    for (int t = 0; t < clip.frames(); t++) {
      System.arraycopy(clip.rgb(), 0, rgb, t * n, n);
    }
    return new Clip(clip.id() + "-frozen", clip.shape(), rgb);
  }

  /** Frames in a random order. */
  public static Clip shuffled(Clip clip, long seed) {
    Random rnd = new Random(seed);
    int frames = clip.frames();
    int[] order = new int[frames];
    for (int i = 0; i < frames; i++) {
      order[i] = i;
    }
    for (int i = frames - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    float[] rgb = new float[clip.rgb().length];
    int n = clip.shape().frameSize();
    for (int t = 0; t < frames; t++) {
      System.arraycopy(clip.rgb(), order[t] * n, rgb, t * n, n);
    }
    return new Clip(clip.id() + "-shuffled", clip.shape(), rgb);
  }

  /** Each frame shifted by a random integer offset in [-3, 3] (borders replicated). */
  public static Clip jittered(Clip clip, long seed) {
    Random rnd = new Random(seed);
    ClipShape s = clip.shape();
    float[] rgb = new float[clip.rgb().length];
    for (int t = 0; t < clip.frames(); t++) {
      int dx = rnd.nextInt(7) - 3;
      int dy = rnd.nextInt(7) - 3;
      for (int y = 0; y < s.height(); y++) {
        for (int x = 0; x < s.width(); x++) {
          int sy = Math.max(0, Math.min(s.height() - 1, y + dy));
          int sx = Math.max(0, Math.min(s.width() - 1, x + dx));
          for (int c = 0; c < 3; c++) {
            rgb[s.index(t, y, x, c)] = clip.get(t, sy, sx, c);
          }
        }
      }
    }
    return new Clip(clip.id() + "-jitter", s, rgb);
  }

  /** Two passes of a 3x3 box blur per frame and channel. */
  public static Clip blurred(Clip clip) {
    Clip out = clip;
    for (int pass = 0; pass < 2; pass++) {
      ClipShape s = out.shape();
      float[] rgb = new float[out.rgb().length];
      for (int t = 0; t < out.frames(); t++) {
        for (int y = 0; y < s.height(); y++) {
          for (int x = 0; x < s.width(); x++) {
            for (int c = 0; c < 3; c++) {
              double sum = 0;
              for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                  int yy = Math.max(0, Math.min(s.height() - 1, y + dy));
                  int xx = Math.max(0, Math.min(s.width() - 1, x + dx));
                  sum += out.get(t, yy, xx, c);
                }
              }
              rgb[s.index(t, y, x, c)] = (float) (sum / 9);
            }
          }
        }
      }
      out = new Clip(clip.id() + "-blur", s, rgb);
    }
    return out;
  }

  /** Additive Gaussian noise of standard deviation {@code sigma}, clamped to [0, 1]. */
  public static Clip noisy(Clip clip, double sigma, long seed) {
    Random rnd = new Random(seed);
    float[] rgb = clip.rgb().clone();
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = clamp01((float) (rgb[i] + sigma * rnd.nextGaussian()));
    }
    return new Clip(clip.id() + "-noisy", clip.shape(), rgb);
  }

  private static float clamp01(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
