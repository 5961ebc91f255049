package com.magicdistill.engine.data;

import java.util.List;

/**
 * What an ingest run did with each input.
 *
 * @param ingested inputs that were read (in input order)
 * @param skipped inputs that could not be used, with the reason
 */
public record IngestReport(List<Ingested> ingested, List<Skipped> skipped) {
  public IngestReport {
    ingested = List.copyOf(ingested);
    skipped = List.copyOf(skipped);
  }

  /**
   * A successfully read input.
   *
   * @param path video file or frame folder
   * @param frames source frames decoded
   * @param clips clips cut from it
   */
  public record Ingested(String path, int frames, int clips) {}

  /**
   * An input that was skipped.
   *
   * @param path video file or frame folder
   * @param reason why, naming the offending file
   */
  public record Skipped(String path, String reason) {}

  public int totalClips() {
    return ingested.stream().mapToInt(Ingested::clips).sum();
  }
}
