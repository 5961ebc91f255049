package com.magicdistill.engine.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Contents of {@code manifest.json}, the index of a sharded dataset (see {@code
 * docs/DATA_FORMAT.md}).
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param clipShape geometry of every clip
 * @param shards the shards in order
 */
public record DatasetManifest(int formatVersion, ClipShape clipShape, List<Shard> shards) {
  /** Current format version. */
  public static final int FORMAT_VERSION = 1;

  /** Name of the manifest file in the dataset folder. */
  public static final String FILE_NAME = "manifest.json";

  /** Name of the array inside each shard. */
  public static final String ARRAY_NAME = "clips";

  /**
   * One shard file.
   *
   * @param file file name relative to the dataset folder ({@code shard-00000.npz})
   * @param sha256 lower-case hex SHA-256 of the whole file
   * @param clipCount number of clips (first dimension of the array)
   * @param clips per-clip metadata in array order
   */
  public record Shard(String file, String sha256, int clipCount, List<Entry> clips) {}

  /**
   * Metadata of one clip.
   *
   * @param id clip id
   * @param kind portrait or general
   * @param defect the known defect, omitted for clean clips
   * @param source provenance
   * @param verdict the quality filter's verdict, omitted when the clip was not filtered
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      String id, ClipKind kind, Defect defect, ClipSource source, QualityVerdict verdict) {

    /** The defect, {@link Defect#NONE} when absent. */
    public Defect defectOrNone() {
      return defect == null ? Defect.NONE : defect;
    }
  }
}
