package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.ArrayList;
import java.util.List;

/** Fréchet distances between generated and real clips in a {@link FeatureExtractor}'s space. */
public final class FrechetScores {
  private FrechetScores() {}

  /** Frame-level FD (FID-style): every frame of every clip is one sample. */
  public static double frame(FeatureExtractor extractor, List<Clip> generated, List<Clip> real) {
    return FrechetDistance.of(frameFeatures(extractor, generated), frameFeatures(extractor, real));
  }

  /** Clip-level FD (FVD-style): one sample per clip; needs >= 2 clips per set. */
  public static double clip(FeatureExtractor extractor, List<Clip> generated, List<Clip> real) {
    return FrechetDistance.of(clipFeatures(extractor, generated), clipFeatures(extractor, real));
  }

  public static double[][] frameFeatures(FeatureExtractor extractor, List<Clip> clips) {
    List<double[]> rows = new ArrayList<>();
    for (Clip clip : clips) {
      for (int t = 0; t < clip.frames(); t++) {
        rows.add(extractor.frameFeatures(clip, t));
      }
    }
    return rows.toArray(new double[0][]);
  }

  public static double[][] clipFeatures(FeatureExtractor extractor, List<Clip> clips) {
    double[][] rows = new double[clips.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = extractor.clipFeatures(clips.get(i));
    }
    return rows;
  }
}
