package com.magicdistill.engine.data;

import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a dataset written by {@link DatasetWriter}. Every shard is checked against the manifest's
 * sha256 before its clips are decoded; a mismatch raises {@link ShardIntegrityException} naming the
 * shard. Only shards that hold selected clips are read.
 */
public final class DatasetReader {
  private final Path dir;
  private final DatasetManifest manifest;

  private DatasetReader(Path dir, DatasetManifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /** Reads and checks {@code dir/manifest.json}. */
  public static DatasetReader open(Path dir) throws IOException {
    Path file = dir.resolve(DatasetManifest.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(),
          null,
          "dataset manifest not found: give a folder written by 'magic data synth' or 'magic"
              + " data ingest'");
    }
    DatasetManifest m = Json.MAPPER.readValue(file.toFile(), DatasetManifest.class);
    if (m.formatVersion() != DatasetManifest.FORMAT_VERSION) {
      throw new IOException(
          file
              + ": unsupported format version "
              + m.formatVersion()
              + ", expected "
              + DatasetManifest.FORMAT_VERSION);
    }
    return new DatasetReader(dir, m);
  }

  public DatasetManifest manifest() {
    return manifest;
  }

  /** All clips in manifest order. */
  public List<DatasetItem> readAll() throws IOException {
    return read(e -> true);
  }

  /** Clips of one kind. */
  public List<DatasetItem> readKind(ClipKind kind) throws IOException {
    return read(e -> e.kind() == kind);
  }

  /** Clips whose verdict says kept (unfiltered clips are not selected). */
  public List<DatasetItem> readKept() throws IOException {
    return read(e -> e.verdict() != null && e.verdict().kept());
  }

  /** Clips of one kind that the filter kept. */
  public List<DatasetItem> readKept(ClipKind kind) throws IOException {
    return read(e -> e.kind() == kind && e.verdict() != null && e.verdict().kept());
  }

  /** Clips whose manifest entry matches {@code select}, in manifest order. */
  public List<DatasetItem> read(Predicate<DatasetManifest.Entry> select) throws IOException {
    List<DatasetItem> out = new ArrayList<>();
    ClipShape shape = manifest.clipShape();
    for (DatasetManifest.Shard shard : manifest.shards()) {
      boolean any = shard.clips().stream().anyMatch(select);
      if (!any) {
        continue;
      }
      Path file = verify(shard);
      try (ZipFile zip = new ZipFile(file.toFile())) {
        ZipEntry entry = zip.getEntry(DatasetManifest.ARRAY_NAME + ".npy");
        if (entry == null) {
          throw new ShardIntegrityException(shard.file(), "no clips.npy inside");
        }
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
          long[] dims = Npy.readHeader(in);
          long[] expected = {
            shard.clipCount(), shape.frames(), shape.height(), shape.width(), ClipShape.CHANNELS
          };
          if (!Arrays.equals(dims, expected)) {
            throw new ShardIntegrityException(
                shard.file(),
                "array shape "
                    + Arrays.toString(dims)
                    + ", manifest says "
                    + Arrays.toString(expected));
          }
          DataInputStream data = new DataInputStream(in);
          byte[] buf = new byte[shape.size()];
          for (DatasetManifest.Entry e : shard.clips()) {
            data.readFully(buf);
            if (!select.test(e)) {
              continue;
            }
            float[] rgb = new float[buf.length];
            for (int i = 0; i < buf.length; i++) {
              rgb[i] = Npy.toFloat(buf[i]);
            }
            LabeledClip clip =
                new LabeledClip(
                    new Clip(e.id(), shape, rgb), e.kind(), e.defectOrNone(), e.source());
            out.add(new DatasetItem(clip, e.verdict()));
          }
        }
      }
    }
    return out;
  }

  /** Checks the sha256 of every shard; throws on the first mismatch or missing shard. */
  public void verifyAll() throws IOException {
    for (DatasetManifest.Shard shard : manifest.shards()) {
      verify(shard);
    }
  }

  private Path verify(DatasetManifest.Shard shard) throws IOException {
    Path file = dir.resolve(shard.file());
    if (!Files.isRegularFile(file)) {
      throw new ShardIntegrityException(shard.file(), "file missing in " + dir);
    }
    String actual = Sha256.of(file);
    if (!actual.equalsIgnoreCase(shard.sha256())) {
      throw new ShardIntegrityException(
          shard.file(),
          "sha256 mismatch (manifest "
              + shard.sha256()
              + ", file "
              + actual
              + "): the shard is corrupt or was modified");
    }
    return file;
  }
}
