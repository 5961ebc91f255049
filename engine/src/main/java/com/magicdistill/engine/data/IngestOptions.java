package com.magicdistill.engine.data;

/**
 * How {@link VideoIngest} cuts videos into clips.
 *
 * @param shape clip geometry; frames are centre-cropped to its aspect ratio and area-resized
 * @param stride first-frame distance between consecutive clips, in (subsampled) clip frames; {@code
 *     shape.frames()} gives non-overlapping clips
 * @param frameStep temporal subsampling: keep every {@code frameStep}-th source frame (e.g. 3 turns
 *     24 fps into 8 fps)
 * @param kind kind recorded for the ingested clips
 */
public record IngestOptions(ClipShape shape, int stride, int frameStep, ClipKind kind) {
  public IngestOptions {
    if (stride < 1 || frameStep < 1) {
      throw new IllegalArgumentException("stride and frameStep must be >= 1");
    }
  }

  /** Non-overlapping portrait clips, every source frame used. */
  public static IngestOptions of(ClipShape shape) {
    return new IngestOptions(shape, shape.frames(), 1, ClipKind.PORTRAIT);
  }
}
