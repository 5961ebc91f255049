package com.magicdistill.engine.video;

import com.magicdistill.engine.data.Clip;
import java.awt.image.BufferedImage;

/** Clip frames as AWT images. */
public final class ClipImages {
  private ClipImages() {}

  /** Frame {@code t} as an RGB image, upscaled by integer {@code scale} (nearest neighbour). */
  public static BufferedImage toBufferedImage(Clip clip, int t, int scale) {
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be >= 1, got " + scale);
    }
    int h = clip.shape().height();
    int w = clip.shape().width();
    BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h * scale; y++) {
      for (int x = 0; x < w * scale; x++) {
        int sy = y / scale;
        int sx = x / scale;
        int rgb =
            (to8(clip.get(t, sy, sx, 0)) << 16)
                | (to8(clip.get(t, sy, sx, 1)) << 8)
                | to8(clip.get(t, sy, sx, 2));
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  /** [0, 1] to 0..255, clamped and rounded. */
  static int to8(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255f)));
  }
}
