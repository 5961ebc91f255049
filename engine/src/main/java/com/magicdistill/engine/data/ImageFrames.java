package com.magicdistill.engine.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Conditioning images from disk (PNG/JPEG), centre-cropped and resized to a clip's frames. */
public final class ImageFrames {
  private ImageFrames() {}

  /** Reads {@code image} as one H,W,C frame in [0, 1] of {@code shape}'s size. */
  public static float[] read(Path image, ClipShape shape) throws IOException {
    if (!Files.isRegularFile(image)) {
      throw new IOException("image: " + image + " does not exist; pass a PNG or JPEG file");
    }
    BufferedImage img = ImageIO.read(image.toFile());
    if (img == null) {
      throw new IOException("image: " + image + " is not a readable PNG or JPEG file");
    }
    float[] frame = new float[shape.frameSize()];
    AreaResize.centerCropResize(img, shape.width(), shape.height(), frame, 0);
    return frame;
  }
}
