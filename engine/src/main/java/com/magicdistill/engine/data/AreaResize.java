package com.magicdistill.engine.data;

import java.awt.image.BufferedImage;

/**
 * Area-average (box filter with fractional coverage) resizing of packed RGB pixels into the float
 * RGB layout of {@link Clip}. When shrinking, every output pixel is the exact mean of the source
 * area it covers; when enlarging it degrades gracefully to nearest-neighbour.
 */
final class AreaResize {
  private AreaResize() {}

  /**
   * Resizes the whole image to {@code dstW x dstH} after cropping its centre to the target aspect
   * ratio, writing H,W,C floats in [0, 1] at {@code dst[offset..]}.
   */
  static void centerCropResize(BufferedImage img, int dstW, int dstH, float[] dst, int offset) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    double targetAspect = (double) dstW / dstH;
    int cropW = w;
    int cropH = h;
    if ((double) w / h > targetAspect) {
      cropW = Math.max(1, (int) Math.round(h * targetAspect));
    } else {
      cropH = Math.max(1, (int) Math.round(w / targetAspect));
    }
    resize(argb, w, (w - cropW) / 2, (h - cropH) / 2, cropW, cropH, dstW, dstH, dst, offset);
  }

  /** Resizes the whole image (no crop) to {@code dstW x dstH}. */
  static void resize(BufferedImage img, int dstW, int dstH, float[] dst, int offset) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    resize(argb, w, 0, 0, w, h, dstW, dstH, dst, offset);
  }

  /**
   * Area-averages the crop rectangle {@code (x0, y0, cropW, cropH)} of packed RGB pixels (row
   * stride {@code stride}) into {@code dstW x dstH} float RGB.
   */
  static void resize(
      int[] argb,
      int stride,
      int x0,
      int y0,
      int cropW,
      int cropH,
      int dstW,
      int dstH,
      float[] dst,
      int offset) {
    // horizontal pass: cropH rows x dstW columns x 3
    float[] tmp = new float[cropH * dstW * 3];
    double sx = (double) cropW / dstW;
    for (int dx = 0; dx < dstW; dx++) {
      double s = dx * sx;
      double e = s + sx;
      int i0 = (int) Math.floor(s);
      int i1 = Math.min(cropW, (int) Math.ceil(e));
      for (int i = i0; i < i1; i++) {
        double wgt = (Math.min(e, i + 1) - Math.max(s, i)) / sx;
        if (wgt <= 0) {
          continue;
        }
        for (int y = 0; y < cropH; y++) {
          int p = argb[(y0 + y) * stride + x0 + i];
          int t = (y * dstW + dx) * 3;
          tmp[t] += (float) (wgt * ((p >> 16) & 0xff) / 255.0);
          tmp[t + 1] += (float) (wgt * ((p >> 8) & 0xff) / 255.0);
          tmp[t + 2] += (float) (wgt * (p & 0xff) / 255.0);
        }
      }
    }
    // vertical pass
    double sy = (double) cropH / dstH;
    int rowLen = dstW * 3;
    for (int dy = 0; dy < dstH; dy++) {
      double s = dy * sy;
      double e = s + sy;
      int j0 = (int) Math.floor(s);
      int j1 = Math.min(cropH, (int) Math.ceil(e));
      int out = offset + dy * rowLen;
      java.util.Arrays.fill(dst, out, out + rowLen, 0f);
      for (int j = j0; j < j1; j++) {
        float wgt = (float) ((Math.min(e, j + 1) - Math.max(s, j)) / sy);
        if (wgt <= 0) {
          continue;
        }
        int src = j * rowLen;
        for (int k = 0; k < rowLen; k++) {
          dst[out + k] += wgt * tmp[src + k];
        }
      }
      for (int k = 0; k < rowLen; k++) {
        dst[out + k] = Math.min(1f, Math.max(0f, dst[out + k]));
      }
    }
  }
}
