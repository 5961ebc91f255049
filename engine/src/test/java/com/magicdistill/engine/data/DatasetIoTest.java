package com.magicdistill.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.io.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetIoTest {
  private static final ClipShape SHAPE = new ClipShape(4, 8, 8);
  private static List<LabeledClip> clips;
  private static FilterReport report;

  @BeforeAll
  static void makeClips() {
    clips = SyntheticDataset.generate(new SynthSpec(5, SHAPE, 3, 2, 1));
    // filter only the portraits, so some clips have no verdict
    report =
        new QualityFilter()
            .filter(clips.stream().filter(c -> c.kind() == ClipKind.PORTRAIT).toList());
  }

  @Test
  void npyHeaderIsVersion1PaddedTo64Bytes() throws IOException {
    byte[] h = Npy.header(2, 16, 32, 32, 3);
    assertEquals(0, h.length % 64);
    assertEquals((byte) 0x93, h[0]);
    assertEquals("NUMPY", new String(h, 1, 5, StandardCharsets.US_ASCII));
    assertEquals(1, h[6]);
    assertEquals(0, h[7]);
    assertEquals(h.length - 10, (h[8] & 0xff) | ((h[9] & 0xff) << 8));
    String dict = new String(h, 10, h.length - 10, StandardCharsets.US_ASCII);
    assertTrue(
        dict.startsWith("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 16, 32, 32, 3), }"),
        dict);
    assertTrue(dict.endsWith("\n"));
    assertArrayEquals(new long[] {2, 16, 32, 32, 3}, Npy.readHeader(new ByteArrayInputStream(h)));
  }

  @Test
  void roundTripPreservesPixelsLabelsAndVerdicts(@TempDir Path dir) throws IOException {
    DatasetManifest written = DatasetWriter.write(dir, SHAPE, 3, clips, report);
    int n = clips.size();
    assertEquals((n + 2) / 3, written.shards().size());
    assertEquals("shard-00000.npz", written.shards().get(0).file());
    assertTrue(Files.isRegularFile(dir.resolve("manifest.json")));

    DatasetReader reader = DatasetReader.open(dir);
    assertEquals(SHAPE, reader.manifest().clipShape());
    assertEquals(written, reader.manifest());
    List<DatasetItem> all = reader.readAll();
    assertEquals(n, all.size());
    for (int i = 0; i < n; i++) {
      LabeledClip in = clips.get(i);
      LabeledClip out = all.get(i).clip();
      assertEquals(in.id(), out.id());
      assertEquals(in.kind(), out.kind());
      assertEquals(in.defect(), out.defect());
      assertEquals(in.source(), out.source());
      assertEquals(report.verdict(in.id()), all.get(i).verdict());
      float[] a = in.clip().rgb();
      float[] b = out.clip().rgb();
      for (int k = 0; k < a.length; k++) {
        assertEquals(a[k], b[k], 0.5f / 255 + 1e-6f, in.id());
      }
    }
    assertNull(all.get(3).verdict(), "general clips were not filtered");
  }

  @Test
  void selectsByKindAndKeptFlag(@TempDir Path dir) throws IOException {
    DatasetWriter.write(dir, SHAPE, 4, clips, report);
    DatasetReader reader = DatasetReader.open(dir);
    assertEquals(2, reader.readKind(ClipKind.GENERAL).size());
    assertEquals(clips.size() - 2, reader.readKind(ClipKind.PORTRAIT).size());
    List<DatasetItem> kept = reader.readKept();
    assertEquals(report.keptCount(), kept.size());
    assertTrue(kept.stream().allMatch(i -> i.verdict().kept()));
    assertFalse(kept.isEmpty());
  }

  @Test
  void shardsAreReproducibleAndNamedInTheManifest(@TempDir Path dir) throws IOException {
    DatasetManifest a = DatasetWriter.write(dir.resolve("a"), SHAPE, 3, clips, report);
    DatasetManifest b = DatasetWriter.write(dir.resolve("b"), SHAPE, 3, clips, report);
    assertEquals(a, b);
    for (DatasetManifest.Shard s : a.shards()) {
      assertEquals(s.sha256(), Sha256.of(dir.resolve("a").resolve(s.file())));
      assertEquals(64, s.sha256().length());
      try (ZipFile zip = new ZipFile(dir.resolve("a").resolve(s.file()).toFile())) {
        List<String> names = new ArrayList<>();
        zip.stream().map(ZipEntry::getName).forEach(names::add);
        assertEquals(List.of("clips.npy"), names);
      }
    }
    String json = Files.readString(dir.resolve("a/manifest.json"));
    assertTrue(json.contains("\"formatVersion\" : 1"), json);
    assertTrue(json.contains("\"defect\" : \"BLUR\""), json);
    assertTrue(json.contains("\"reasons\""), json);
  }

  @Test
  void tamperedShardIsDetectedWithItsName(@TempDir Path dir) throws IOException {
    DatasetWriter.write(dir, SHAPE, 3, clips, report);
    Path shard = dir.resolve("shard-00001.npz");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(shard, bytes);

    DatasetReader reader = DatasetReader.open(dir);
    ShardIntegrityException e = assertThrows(ShardIntegrityException.class, reader::readAll);
    assertEquals("shard-00001.npz", e.shard());
    assertTrue(e.getMessage().contains("shard-00001.npz") && e.getMessage().contains("sha256"));
    assertThrows(ShardIntegrityException.class, reader::verifyAll);
    // clips that live only in intact shards can still be read
    List<DatasetItem> first = reader.read(en -> en.id().equals(clips.get(0).id()));
    assertEquals(1, first.size());
  }

  @Test
  void missingShardIsReportedByName(@TempDir Path dir) throws IOException {
    DatasetWriter.write(dir, SHAPE, 3, clips, report);
    Files.delete(dir.resolve("shard-00000.npz"));
    ShardIntegrityException e =
        assertThrows(ShardIntegrityException.class, () -> DatasetReader.open(dir).readAll());
    assertTrue(e.getMessage().contains("shard-00000.npz"), e.getMessage());
  }
}
