package com.magicdistill.engine.video;

import com.magicdistill.engine.data.Clip;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

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

  /** Writes frame {@code t} as a PNG, upscaled by {@code scale} (e.g. a conditioning frame). */
  public static void writePng(Clip clip, int t, int scale, Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(toBufferedImage(clip, t, scale), "png", out.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }

  /** [0, 1] to 0..255, clamped and rounded. */
  static int to8(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255f)));
  }
}
