package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import java.util.Random;

/**
 * Fixed, deterministic, hand-designed features ({@value #ID}); the default embedding for Fréchet
 * distances and the feature-based VBench dimensions. No weights, no randomness at run time. See
 * docs/EVALUATION.md for the rationale.
 *
 * <p>Frame features ({@value #FRAME_DIM} values), in this order:
 *
 * <ol>
 *   <li>Colour statistics (120): for a 2x2 and then a 4x4 grid of cells, for each cell and each RGB
 *       channel, the mean and the (population) standard deviation of the cell's pixels.
 *   <li>Oriented gradient energy (32): on the luma plane at full resolution and at half resolution
 *       (2x2 box average), four 3x3 Sobel filters at 0, 45, 90 and 135 degrees; for each scale,
 *       orientation and cell of a 2x2 grid, the RMS response {@code sqrt(mean(r^2))}.
 *   <li>Random projection (32): the frame box-averaged to 8x8 RGB, centred by subtracting 0.5,
 *       multiplied by a fixed Gaussian matrix {@code P} (entries N(0,1) from {@code
 *       java.util.Random(SEED)}) and scaled: {@code z = P x / sqrt(192)}.
 * </ol>
 *
 * <p>Clip features ({@value #CLIP_DIM} values): the mean over time of the frame features (184),
 * their standard deviation over time (184), then temporal features:
 *
 * <ol>
 *   <li>Frame difference (16): for each cell of a 4x4 grid, {@code mean_t mean_cell |x_t -
 *       x_{t-1}|} over pixels and channels.
 *   <li>Temporal spectrum (4): for each 4x4 cell, the cell-mean luma series {@code g_t} minus its
 *       mean; power {@code P_k = |sum_t g_t exp(-2 pi i k t / T)|^2 / T^2} for {@code k = 1..T/2},
 *       split into four equal bands of {@code k}; feature = {@code sqrt(mean_cells sum_{k in band}
 *       P_k)} (flicker shows up in the highest band).
 *   <li>Lagged correlation (3): Pearson correlation of the luma of frame {@code t} with frame
 *       {@code t+k}, averaged over {@code t}, for {@code k = 1, 2, 4} ({@code k} capped at {@code
 *       T-1}).
 * </ol>
 */
public final class HandcraftedFeaturesV1 implements FeatureExtractor {
  public static final String ID = "md-feat-v1";

  /** Seed of the random projection ("MDFEATV1" in ASCII); part of the version. */
  public static final long SEED = 0x4D44_4645_4154_5631L;

  static final int PROJ_GRID = 8;
  static final int PROJ_DIM = 32;
  static final int COLOUR_DIM = (4 + 16) * ClipShape.CHANNELS * 2;
  static final int GRADIENT_DIM = 2 * 4 * 4;
  public static final int FRAME_DIM = COLOUR_DIM + GRADIENT_DIM + PROJ_DIM;
  static final int DIFF_GRID = 4;
  static final int BANDS = 4;
  static final int[] LAGS = {1, 2, 4};
  public static final int CLIP_DIM = 2 * FRAME_DIM + DIFF_GRID * DIFF_GRID + BANDS + LAGS.length;

  // Sobel kernels (row-major, correlation), normalised by 1/8 so a unit step gives response ~0.5.
  private static final double[][] ORIENTED =
      scaled(
          1.0 / 8,
          new double[][] {
            {-1, 0, 1, -2, 0, 2, -1, 0, 1}, // 0 deg (d/dx)
            {0, 1, 2, -1, 0, 1, -2, -1, 0}, // 45 deg
            {-1, -2, -1, 0, 0, 0, 1, 2, 1}, // 90 deg (d/dy)
            {-2, -1, 0, -1, 0, 1, 0, 1, 2} // 135 deg
          });

  private static final double[][] PROJECTION = projection();

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int frameDim() {
    return FRAME_DIM;
  }

  @Override
  public int clipDim() {
    return CLIP_DIM;
  }

  @Override
  public double[] frameFeatures(Clip clip, int t) {
    int h = clip.shape().height();
    int w = clip.shape().width();
    double[] out = new double[FRAME_DIM];
    int o = 0;
    double[][] rgb = new double[ClipShape.CHANNELS][];
    for (int c = 0; c < ClipShape.CHANNELS; c++) {
      rgb[c] = FrameOps.channel(clip, t, c);
    }
    for (int grid : new int[] {2, 4}) {
      for (int cell = 0; cell < grid * grid; cell++) {
        for (int c = 0; c < ClipShape.CHANNELS; c++) {
          double[] ms = cellMeanStd(rgb[c], h, w, grid, cell);
          out[o++] = ms[0];
          out[o++] = ms[1];
        }
      }
    }
    double[] luma = FrameOps.luma(clip, t);
    double[] half = FrameOps.boxDownsample(luma, h, w, h / 2, w / 2);
    o = gradientEnergy(luma, h, w, out, o);
    o = gradientEnergy(half, h / 2, w / 2, out, o);
    double[] x = new double[PROJ_GRID * PROJ_GRID * ClipShape.CHANNELS];
    for (int c = 0; c < ClipShape.CHANNELS; c++) {
      double[] small = FrameOps.boxDownsample(rgb[c], h, w, PROJ_GRID, PROJ_GRID);
      for (int i = 0; i < small.length; i++) {
        x[i * ClipShape.CHANNELS + c] = small[i] - 0.5;
      }
    }
    double norm = 1.0 / Math.sqrt(x.length);
    for (double[] row : PROJECTION) {
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        s += row[i] * x[i];
      }
      out[o++] = s * norm;
    }
    return out;
  }

  @Override
  public double[] clipFeatures(Clip clip) {
    int frames = clip.frames();
    double[] out = new double[CLIP_DIM];
    double[][] f = new double[frames][];
    for (int t = 0; t < frames; t++) {
      f[t] = frameFeatures(clip, t);
    }
    for (int d = 0; d < FRAME_DIM; d++) {
      double mean = 0;
      for (int t = 0; t < frames; t++) {
        mean += f[t][d];
      }
      mean /= frames;
      double var = 0;
      for (int t = 0; t < frames; t++) {
        var += (f[t][d] - mean) * (f[t][d] - mean);
      }
      out[d] = mean;
      out[FRAME_DIM + d] = Math.sqrt(var / frames);
    }
    int o = 2 * FRAME_DIM;
    o = frameDifference(clip, out, o);
    o = temporalSpectrum(clip, out, o);
    lagCorrelation(clip, out, o);
    return out;
  }

  private static double[] cellMeanStd(double[] p, int h, int w, int grid, int cell) {
    int y0 = (cell / grid) * h / grid;
    int y1 = (cell / grid + 1) * h / grid;
    int x0 = (cell % grid) * w / grid;
    int x1 = (cell % grid + 1) * w / grid;
    double s = 0;
    double ss = 0;
    int n = (y1 - y0) * (x1 - x0);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        double v = p[y * w + x];
        s += v;
        ss += v * v;
      }
    }
    double mean = s / n;
    return new double[] {mean, Math.sqrt(Math.max(0, ss / n - mean * mean))};
  }

  private static int gradientEnergy(double[] luma, int h, int w, double[] out, int o) {
    for (double[] k : ORIENTED) {
      double[] r = FrameOps.conv3x3(luma, h, w, k);
      for (int i = 0; i < r.length; i++) {
        r[i] *= r[i];
      }
      for (int cell = 0; cell < 4; cell++) {
        out[o++] = Math.sqrt(cellMeanStd(r, h, w, 2, cell)[0]);
      }
    }
    return o;
  }

  private static int frameDifference(Clip clip, double[] out, int o) {
    int h = clip.shape().height();
    int w = clip.shape().width();
    int n = clip.shape().frameSize();
    float[] rgb = clip.rgb();
    double[] cells = new double[DIFF_GRID * DIFF_GRID];
    for (int t = 1; t < clip.frames(); t++) {
      double[] diff = new double[h * w];
      for (int i = 0; i < h * w; i++) {
        double s = 0;
        for (int c = 0; c < ClipShape.CHANNELS; c++) {
          int p = t * n + i * ClipShape.CHANNELS + c;
          s += Math.abs(rgb[p] - rgb[p - n]);
        }
        diff[i] = s / ClipShape.CHANNELS;
      }
      double[] g = FrameOps.boxDownsample(diff, h, w, DIFF_GRID, DIFF_GRID);
      for (int i = 0; i < cells.length; i++) {
        cells[i] += g[i] / (clip.frames() - 1);
      }
    }
    System.arraycopy(cells, 0, out, o, cells.length);
    return o + cells.length;
  }

  private static int temporalSpectrum(Clip clip, double[] out, int o) {
    int h = clip.shape().height();
    int w = clip.shape().width();
    int frames = clip.frames();
    int cellCount = DIFF_GRID * DIFF_GRID;
    double[][] g = new double[cellCount][frames];
    for (int t = 0; t < frames; t++) {
      double[] small = FrameOps.boxDownsample(FrameOps.luma(clip, t), h, w, DIFF_GRID, DIFF_GRID);
      for (int i = 0; i < cellCount; i++) {
        g[i][t] = small[i];
      }
    }
    int kMax = frames / 2;
    double[] bands = new double[BANDS];
    for (double[] series : g) {
      double mean = 0;
      for (double v : series) {
        mean += v;
      }
      mean /= frames;
      for (int k = 1; k <= kMax; k++) {
        double re = 0;
        double im = 0;
        for (int t = 0; t < frames; t++) {
          double a = -2 * Math.PI * k * t / frames;
          re += (series[t] - mean) * Math.cos(a);
          im += (series[t] - mean) * Math.sin(a);
        }
        int band = Math.min(BANDS - 1, (k - 1) * BANDS / kMax);
        bands[band] += (re * re + im * im) / ((double) frames * frames) / cellCount;
      }
    }
    for (int b = 0; b < BANDS; b++) {
      out[o++] = Math.sqrt(bands[b]);
    }
    return o;
  }

  private static void lagCorrelation(Clip clip, double[] out, int o) {
    int frames = clip.frames();
    double[][] luma = new double[frames][];
    for (int t = 0; t < frames; t++) {
      luma[t] = FrameOps.luma(clip, t);
    }
    for (int lag : LAGS) {
      int k = Math.min(lag, frames - 1);
      double s = 0;
      for (int t = 0; t + k < frames; t++) {
        s += pearson(luma[t], luma[t + k]);
      }
      out[o++] = s / (frames - k);
    }
  }

  /** Pearson correlation; 1 if both planes are constant, 0 if exactly one is. */
  static double pearson(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double[] ca = new double[a.length];
    double[] cb = new double[b.length];
    for (int i = 0; i < a.length; i++) {
      ca[i] = a[i] - ma;
      cb[i] = b[i] - mb;
    }
    return FrameOps.cosine(ca, cb);
  }

  private static double[][] projection() {
    Random rnd = new Random(SEED);
    double[][] p = new double[PROJ_DIM][PROJ_GRID * PROJ_GRID * ClipShape.CHANNELS];
    for (double[] row : p) {
      for (int i = 0; i < row.length; i++) {
        row[i] = rnd.nextGaussian();
      }
    }
    return p;
  }

  private static double[][] scaled(double s, double[][] kernels) {
    for (double[] k : kernels) {
      for (int i = 0; i < k.length; i++) {
        k[i] *= s;
      }
    }
    return kernels;
  }
}
