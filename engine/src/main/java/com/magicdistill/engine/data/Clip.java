package com.magicdistill.engine.data;

import java.util.Arrays;

/**
 * One video clip in memory: RGB values in [0, 1], laid out T,H,W,C (see {@link ClipShape}).
 *
 * <p>This is the exchange type between data, sampling and evaluation. Model code converts it to
 * tensors in [-1, 1] (see {@code engine.model.Tensors}).
 *
 * @param id stable identifier (synthetic clips: {@code <kind>-<index>}; ingested: file name + cut)
 * @param shape geometry
 * @param rgb pixel values, length {@code shape.size()}
 */
public record Clip(String id, ClipShape shape, float[] rgb) {
  public Clip {
    if (rgb.length != shape.size()) {
      throw new IllegalArgumentException(
          "clip " + id + ": rgb has " + rgb.length + " values, shape needs " + shape.size());
    }
  }

  public float get(int t, int y, int x, int c) {
    return rgb[shape.index(t, y, x, c)];
  }

  /** A copy of frame {@code t} as H,W,C floats. */
  public float[] frame(int t) {
    int n = shape.frameSize();
    return Arrays.copyOfRange(rgb, t * n, (t + 1) * n);
  }

  public int frames() {
    return shape.frames();
  }

  /** Luma (Rec. 601) of frame {@code t}, H*W values in [0, 1]. */
  public float[] luma(int t) {
    int h = shape.height();
    int w = shape.width();
    float[] out = new float[h * w];
    int base = t * shape.frameSize();
    for (int i = 0; i < h * w; i++) {
      int p = base + i * 3;
      out[i] = 0.299f * rgb[p] + 0.587f * rgb[p + 1] + 0.114f * rgb[p + 2];
    }
    return out;
  }
}
