package com.magicdistill.engine.data;

import java.util.List;

/**
 * Clips cut from the inputs and the per-input report.
 *
 * @param clips ingested clips in input order
 * @param report what happened to each input
 */
public record IngestResult(List<LabeledClip> clips, IngestReport report) {
  public IngestResult {
    clips = List.copyOf(clips);
  }
}
