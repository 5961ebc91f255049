package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Anchor rows that bound each metric's scale (docs/EVALUATION.md#anchors), built from real clips: a
 * frozen clip, real plus noise, real temporally blurred. Pure functions; inputs are not changed.
 */
public final class Anchors {
  /** Standard deviation of the noise anchor, in pixel units of [0, 1]. */
  public static final double NOISE_SIGMA = 0.03;

  /** Half-width of the temporal box of the blur anchor: 2 averages 5 frames. */
  public static final int BLUR_RADIUS = 2;

  private Anchors() {}

  /** Frame 0 of each clip repeated for all of its frames (16 at the default shape). */
  public static List<Clip> firstFrameRepeated(List<Clip> clips) {
    List<Clip> out = new ArrayList<>(clips.size());
    for (Clip clip : clips) {
      int n = clip.shape().frameSize();
      float[] rgb = new float[clip.rgb().length];
      for (int t = 0; t < clip.frames(); t++) {
        System.arraycopy(clip.rgb(), 0, rgb, t * n, n);
      }
      out.add(new Clip(clip.id() + "-frozen", clip.shape(), rgb));
    }
    return out;
  }

  /** {@link #noisy(List, double, long)} with {@link #NOISE_SIGMA}. */
  public static List<Clip> noisy(List<Clip> clips, long seed) {
    return noisy(clips, NOISE_SIGMA, seed);
  }

  /**
   * Each value plus Gaussian noise of std {@code sigma}, clamped to [0, 1]; clip {@code i} draws
   * from {@code new Random(seed + i)}.
   */
  public static List<Clip> noisy(List<Clip> clips, double sigma, long seed) {
    List<Clip> out = new ArrayList<>(clips.size());
    for (int c = 0; c < clips.size(); c++) {
      Clip clip = clips.get(c);
      Random rnd = new Random(seed + c);
      float[] rgb = clip.rgb().clone();
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (float) Math.max(0.0, Math.min(1.0, rgb[i] + sigma * rnd.nextGaussian()));
      }
      out.add(new Clip(clip.id() + "-noisy", clip.shape(), rgb));
    }
    return out;
  }

  /** {@link #temporallyBlurred(List, int)} with {@link #BLUR_RADIUS}. */
  public static List<Clip> temporallyBlurred(List<Clip> clips) {
    return temporallyBlurred(clips, BLUR_RADIUS);
  }

  /**
   * Frame {@code t} becomes the mean of frames {@code max(0, t-r) .. min(T-1, t+r)} (a centred box,
   * truncated at the ends): motion is damped and smeared, as by a sluggish generator.
   */
  public static List<Clip> temporallyBlurred(List<Clip> clips, int radius) {
    if (radius < 0) {
      throw new IllegalArgumentException("radius must be >= 0, got " + radius);
    }
    List<Clip> out = new ArrayList<>(clips.size());
    for (Clip clip : clips) {
      int n = clip.shape().frameSize();
      int frames = clip.frames();
      float[] x = clip.rgb();
      float[] rgb = new float[x.length];
      for (int t = 0; t < frames; t++) {
        int a = Math.max(0, t - radius);
        int b = Math.min(frames - 1, t + radius);
        for (int i = 0; i < n; i++) {
          double s = 0;
          for (int u = a; u <= b; u++) {
            s += x[u * n + i];
          }
          rgb[t * n + i] = (float) (s / (b - a + 1));
        }
      }
      out.add(new Clip(clip.id() + "-tblur", clip.shape(), rgb));
    }
    return out;
  }
}
