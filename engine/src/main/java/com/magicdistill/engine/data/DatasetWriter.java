package com.magicdistill.engine.data;

import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes clips as NPZ shards of at most {@code clipsPerShard} clips plus {@code manifest.json}
 * (format in {@code docs/DATA_FORMAT.md}). Clips are buffered until a shard is full; {@link
 * #close()} writes the last shard and the manifest. Output is deterministic: the same clips give
 * byte-identical files (fixed zip timestamps), so the sha256 values are reproducible.
 */
public final class DatasetWriter implements AutoCloseable {
  /** Fixed zip entry time (2000-01-01T00:00:00Z) for reproducible shards. */
  private static final long ENTRY_TIME = 946_684_800_000L;

  private final Path dir;
  private final ClipShape shape;
  private final int clipsPerShard;
  private final List<DatasetItem> pending = new ArrayList<>();
  private final List<DatasetManifest.Shard> shards = new ArrayList<>();
  private DatasetManifest manifest;

  /** Creates {@code dir} if needed; existing shards and manifest in it are overwritten. */
  public DatasetWriter(Path dir, ClipShape shape, int clipsPerShard) throws IOException {
    if (clipsPerShard < 1) {
      throw new IllegalArgumentException("clipsPerShard must be >= 1");
    }
    this.dir = dir;
    this.shape = shape;
    this.clipsPerShard = clipsPerShard;
    Files.createDirectories(dir);
  }

  /** Writes a whole list (verdicts from {@code report} when not null) and returns the manifest. */
  public static DatasetManifest write(
      Path dir, ClipShape shape, int clipsPerShard, List<LabeledClip> clips, FilterReport report)
      throws IOException {
    try (DatasetWriter w = new DatasetWriter(dir, shape, clipsPerShard)) {
      for (LabeledClip c : clips) {
        w.add(c, report == null ? null : report.verdict(c.id()));
      }
      w.close();
      return w.manifest();
    }
  }

  /** Adds a clip (verdict may be null when it was not filtered). */
  public void add(LabeledClip clip, QualityVerdict verdict) throws IOException {
    if (manifest != null) {
      throw new IllegalStateException("writer is closed");
    }
    if (!clip.clip().shape().equals(shape)) {
      throw new IllegalArgumentException(
          "clip " + clip.id() + " has shape " + clip.clip().shape() + ", dataset has " + shape);
    }
    pending.add(new DatasetItem(clip, verdict));
    if (pending.size() == clipsPerShard) {
      flushShard();
    }
  }

  /** The manifest, available after {@link #close()}. */
  public DatasetManifest manifest() {
    if (manifest == null) {
      throw new IllegalStateException("manifest is written on close()");
    }
    return manifest;
  }

  @Override
  public void close() throws IOException {
    if (manifest != null) {
      return;
    }
    if (!pending.isEmpty()) {
      flushShard();
    }
    manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, shape, List.copyOf(shards));
    Json.PRETTY.writeValue(dir.resolve(DatasetManifest.FILE_NAME).toFile(), manifest);
  }

  private void flushShard() throws IOException {
    String name = String.format(Locale.ROOT, "shard-%05d.npz", shards.size());
    MessageDigest sha = Sha256.newDigest();
    try (OutputStream file = Files.newOutputStream(dir.resolve(name));
        DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file), sha);
        ZipOutputStream zip = new ZipOutputStream(digest)) {
      ZipEntry entry = new ZipEntry(DatasetManifest.ARRAY_NAME + ".npy");
      entry.setTime(ENTRY_TIME);
      zip.putNextEntry(entry);
      Npy.writeHeader(
          zip, pending.size(), shape.frames(), shape.height(), shape.width(), ClipShape.CHANNELS);
      byte[] buf = new byte[shape.size()];
      for (DatasetItem item : pending) {
        float[] rgb = item.clip().clip().rgb();
        for (int i = 0; i < buf.length; i++) {
          buf[i] = Npy.toByte(rgb[i]);
        }
        zip.write(buf);
      }
      zip.closeEntry();
    }
    List<DatasetManifest.Entry> entries = new ArrayList<>();
    for (DatasetItem item : pending) {
      LabeledClip c = item.clip();
      entries.add(
          new DatasetManifest.Entry(
              c.id(), c.kind(), c.poor() ? c.defect() : null, c.source(), item.verdict()));
    }
    shards.add(
        new DatasetManifest.Shard(
            name, Sha256.hex(sha.digest()), pending.size(), List.copyOf(entries)));
    pending.clear();
  }
}
