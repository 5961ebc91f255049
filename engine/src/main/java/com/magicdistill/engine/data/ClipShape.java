package com.magicdistill.engine.data;

/**
 * Geometry of a video clip: {@code frames} RGB frames of {@code height x width} pixels.
 *
 * <p>The whole engine uses one memory layout for a clip: frame-major, then row, column, channel (T,
 * H, W, C), channels RGB. See {@link Clip}.
 */
public record ClipShape(int frames, int height, int width) {
  public static final int CHANNELS = 3;

  /** The project default: 16 frames of 32x32 RGB. */
  public static final ClipShape DEFAULT = new ClipShape(16, 32, 32);

  public ClipShape {
    if (frames < 2) {
      throw new IllegalArgumentException("frames must be >= 2, got " + frames);
    }
    if (height < 4 || width < 4) {
      throw new IllegalArgumentException(
          "height and width must be >= 4, got " + height + "x" + width);
    }
  }

  /** Number of floats in one frame (H * W * 3). */
  public int frameSize() {
    return height * width * CHANNELS;
  }

  /** Number of floats in one clip (T * H * W * 3). */
  public int size() {
    return frames * frameSize();
  }

  /** Flat index of pixel channel (t, y, x, c) in the T,H,W,C layout. */
  public int index(int t, int y, int x, int c) {
    return ((t * height + y) * width + x) * CHANNELS + c;
  }
}
