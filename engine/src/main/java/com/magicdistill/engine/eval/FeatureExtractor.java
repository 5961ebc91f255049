package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;

/**
 * Maps frames and clips to fixed-length feature vectors; the embedding space in which Fréchet
 * distances and feature-based VBench dimensions are measured.
 *
 * <p>An extractor is identified by {@link #id()} (name and version). Scores are only comparable
 * between runs with the same id, so any change to what an extractor computes must come with a new
 * id.
 */
public interface FeatureExtractor {

  /** Name and version, e.g. {@code md-feat-v1}. Recorded in every evaluation report. */
  String id();

  /** Length of {@link #frameFeatures}. */
  int frameDim();

  /** Features of frame {@code t} of {@code clip}, length {@link #frameDim()}. */
  double[] frameFeatures(Clip clip, int t);

  /** Length of {@link #clipFeatures}. */
  int clipDim();

  /** Features of the whole clip, length {@link #clipDim()}. */
  double[] clipFeatures(Clip clip);
}
