package com.magicdistill.engine.data;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a clip came from. Synthetic clips carry {@code seed} and {@code index}; ingested clips
 * carry {@code path}, the first source frame, the temporal step and the number of frames. Fields
 * that do not apply are null.
 *
 * @param origin {@code "synthetic"} or {@code "file"}
 * @param generator synthetic generator name (e.g. {@code portrait}, {@code general}, {@code
 *     poor-BLUR}), null for files
 * @param seed synthetic master seed
 * @param index synthetic clip index
 * @param path source video file or PNG frame folder
 * @param firstFrame index of the first source frame used (0-based, before subsampling)
 * @param frameStep source frames between two clip frames
 * @param frameCount number of clip frames
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClipSource(
    String origin,
    String generator,
    Long seed,
    Integer index,
    String path,
    Integer firstFrame,
    Integer frameStep,
    Integer frameCount) {

  public static ClipSource synthetic(String generator, long seed, int index) {
    return new ClipSource("synthetic", generator, seed, index, null, null, null, null);
  }

  public static ClipSource file(String path, int firstFrame, int frameStep, int frameCount) {
    return new ClipSource("file", null, null, null, path, firstFrame, frameStep, frameCount);
  }
}
