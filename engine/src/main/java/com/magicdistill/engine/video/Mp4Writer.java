package com.magicdistill.engine.video;

import com.magicdistill.engine.data.Clip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jcodec.api.awt.AWTSequenceEncoder;

/** H.264 MP4 of a clip via JCodec's {@link AWTSequenceEncoder}. */
public final class Mp4Writer {
  /** Smallest output side; the upscale is raised until both sides reach it. */
  public static final int MIN_SIDE = 64;

  private Mp4Writer() {}

  /**
   * Writes {@code clip} to {@code out} at {@code fps}, upscaled by at least {@code scale} with
   * nearest neighbour so that both sides are even and >= {@value #MIN_SIDE} (H.264 4:2:0 needs even
   * sizes).
   */
  public static void write(Clip clip, Path out, int scale, int fps) throws IOException {
    int s = effectiveScale(clip.shape().height(), clip.shape().width(), scale);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    AWTSequenceEncoder encoder = AWTSequenceEncoder.createSequenceEncoder(out.toFile(), fps);
    for (int t = 0; t < clip.frames(); t++) {
      encoder.encodeImage(ClipImages.toBufferedImage(clip, t, s));
    }
    encoder.finish();
  }

  /** The upscale actually used: >= {@code scale}, sides >= MIN_SIDE and even. */
  public static int effectiveScale(int height, int width, int scale) {
    int s =
        Math.max(
            Math.max(1, scale), (MIN_SIDE + Math.min(height, width) - 1) / Math.min(height, width));
    if ((height * s) % 2 != 0 || (width * s) % 2 != 0) {
      s++;
    }
    return s;
  }
}
