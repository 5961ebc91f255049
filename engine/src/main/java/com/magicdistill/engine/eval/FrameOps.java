package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import java.util.Arrays;

/** Small image operations on single-channel planes (row-major, double precision). */
final class FrameOps {
  private FrameOps() {}

  /** Rec. 601 luma of frame {@code t}, H*W values in [0, 1]. */
  static double[] luma(Clip clip, int t) {
    float[] y = clip.luma(t);
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i];
    }
    return out;
  }

  /** Channel {@code c} of frame {@code t}, H*W values. */
  static double[] channel(Clip clip, int t, int c) {
    int n = clip.shape().height() * clip.shape().width();
    int base = t * clip.shape().frameSize();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = clip.rgb()[base + i * ClipShape.CHANNELS + c];
    }
    return out;
  }

  /**
   * A two-frame clip whose frames both equal {@code frame} (H,W,C); lets extractors see one image.
   */
  static Clip stillClip(String id, float[] frame, int height, int width) {
    ClipShape shape = new ClipShape(2, height, width);
    if (frame.length != shape.frameSize()) {
      throw new IllegalArgumentException(
          "frame has " + frame.length + " values, expected " + shape.frameSize());
    }
    float[] rgb = new float[shape.size()];
    System.arraycopy(frame, 0, rgb, 0, frame.length);
    System.arraycopy(frame, 0, rgb, frame.length, frame.length);
    return new Clip(id, shape, rgb);
  }

  /**
   * Box (area) average of an h x w plane down to oh x ow; cell (i,j) covers rows
   * [i*h/oh,(i+1)*h/oh).
   */
  static double[] boxDownsample(double[] p, int h, int w, int oh, int ow) {
    double[] out = new double[oh * ow];
    for (int oy = 0; oy < oh; oy++) {
      int y0 = oy * h / oh;
      int y1 = Math.max(y0 + 1, (oy + 1) * h / oh);
      for (int ox = 0; ox < ow; ox++) {
        int x0 = ox * w / ow;
        int x1 = Math.max(x0 + 1, (ox + 1) * w / ow);
        double s = 0;
        for (int y = y0; y < y1; y++) {
          for (int x = x0; x < x1; x++) {
            s += p[y * w + x];
          }
        }
        out[oy * ow + ox] = s / ((y1 - y0) * (x1 - x0));
      }
    }
    return out;
  }

  /** 3x3 correlation with kernel {@code k} (row-major), borders replicated. */
  static double[] conv3x3(double[] p, int h, int w, double[] k) {
    double[] out = new double[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int dy = -1; dy <= 1; dy++) {
          int yy = clamp(y + dy, h);
          for (int dx = -1; dx <= 1; dx++) {
            s += k[(dy + 1) * 3 + dx + 1] * p[yy * w + clamp(x + dx, w)];
          }
        }
        out[y * w + x] = s;
      }
    }
    return out;
  }

  /** 3x3 median filter, borders replicated. */
  static double[] median3x3(double[] p, int h, int w) {
    double[] out = new double[h * w];
    double[] win = new double[9];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            win[i++] = p[clamp(y + dy, h) * w + clamp(x + dx, w)];
          }
        }
        Arrays.sort(win);
        out[y * w + x] = win[4];
      }
    }
    return out;
  }

  /** Bilinear resize (pixel centres aligned) of an h x w plane to oh x ow. */
  static double[] resizeBilinear(double[] p, int h, int w, int oh, int ow) {
    double[] out = new double[oh * ow];
    for (int oy = 0; oy < oh; oy++) {
      double sy = Math.min(h - 1.0, Math.max(0.0, (oy + 0.5) * h / oh - 0.5));
      int y0 = (int) sy;
      int y1 = Math.min(h - 1, y0 + 1);
      double fy = sy - y0;
      for (int ox = 0; ox < ow; ox++) {
        double sx = Math.min(w - 1.0, Math.max(0.0, (ox + 0.5) * w / ow - 0.5));
        int x0 = (int) sx;
        int x1 = Math.min(w - 1, x0 + 1);
        double fx = sx - x0;
        double top = p[y0 * w + x0] * (1 - fx) + p[y0 * w + x1] * fx;
        double bot = p[y1 * w + x0] * (1 - fx) + p[y1 * w + x1] * fx;
        out[oy * ow + ox] = top * (1 - fy) + bot * fy;
      }
    }
    return out;
  }

  /** Cosine similarity; 1 when both vectors are (numerically) zero, 0 when only one is. */
  static double cosine(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    if (aa < 1e-24 && bb < 1e-24) {
      return 1.0;
    }
    if (aa < 1e-24 || bb < 1e-24) {
      return 0.0;
    }
    return ab / Math.sqrt(aa * bb);
  }

  static int clamp(int i, int n) {
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
  }
}
