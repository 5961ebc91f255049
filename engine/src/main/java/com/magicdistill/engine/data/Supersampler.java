package com.magicdistill.engine.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Java2D drawing surface at {@link #FACTOR} times the clip resolution, with antialiasing on; a
 * finished frame is area-downsampled into the clip. Rendering this way gives clean edges at any
 * {@link ClipShape}.
 */
final class Supersampler {
  /** Linear oversampling factor. */
  static final int FACTOR = 4;

  private Supersampler() {}

  /** A blank RGB image of {@code FACTOR * width x FACTOR * height}. */
  static BufferedImage canvas(int width, int height) {
    return new BufferedImage(width * FACTOR, height * FACTOR, BufferedImage.TYPE_INT_RGB);
  }

  /** Graphics with antialiasing and quality rendering on; the caller disposes it. */
  static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(
        RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
    return g;
  }

  /** Area-downsamples the canvas into frame {@code t} of {@code rgb} (layout of {@code shape}). */
  static void downsampleInto(BufferedImage img, ClipShape shape, int t, float[] rgb) {
    AreaResize.resize(img, shape.width(), shape.height(), rgb, t * shape.frameSize());
  }
}
