package com.magicdistill.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoIngestTest {
  private static final ClipShape SHAPE = new ClipShape(8, 16, 16);

  /** 64x48 frame, grey background, a white 12x12 square whose left edge is at {@code x}. */
  private static BufferedImage frame(int x) {
    BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(40, 40, 40));
    g.fillRect(0, 0, 64, 48);
    g.setColor(Color.WHITE);
    g.fillRect(x, 18, 12, 12);
    g.dispose();
    return img;
  }

  private static int squareX(int i) {
    return 6 + i; // moves 1 px per frame, from x=6 to x=45 over 40 frames
  }

  private static Path writeMp4(Path dir, int frames) throws IOException {
    Path file = dir.resolve("square.mp4");
    AWTSequenceEncoder enc = AWTSequenceEncoder.createSequenceEncoder(file.toFile(), 8);
    for (int i = 0; i < frames; i++) {
      enc.encodeImage(frame(squareX(i)));
    }
    enc.finish();
    return file;
  }

  /** Luma-weighted centroid x of the bright pixels of frame t, in [0, width). */
  private static double brightCentroidX(Clip c, int t) {
    float[] l = c.luma(t);
    int w = c.shape().width();
    double sum = 0;
    double wx = 0;
    for (int i = 0; i < l.length; i++) {
      double v = Math.max(0, l[i] - 0.3);
      sum += v;
      wx += v * (i % w);
    }
    return wx / sum;
  }

  @Test
  void ingestsMp4IntoClipsWhereTheSquareMoves(@TempDir Path dir) throws IOException {
    Path mp4 = writeMp4(dir, 40);
    IngestResult r = new VideoIngest(IngestOptions.of(SHAPE)).ingest(List.of(mp4));
    assertEquals(List.of(), r.report().skipped());
    assertEquals(1, r.report().ingested().size());
    assertEquals(40, r.report().ingested().get(0).frames());
    assertEquals(5, r.clips().size(), "40 frames / 8 per clip");
    assertEquals(5, r.report().totalClips());

    Clip first = r.clips().get(0).clip();
    Clip last = r.clips().get(4).clip();
    assertEquals(SHAPE, first.shape());
    assertEquals("square.mp4@00032", last.id());
    assertEquals(32, r.clips().get(4).source().firstFrame());
    // centre crop 64x48 -> 48x48 (x from 8), scale 1/3: square centre at (x+6-8)/3
    double x0 = brightCentroidX(first, 0);
    double x1 = brightCentroidX(last, 7);
    assertEquals((squareX(0) + 6 - 8) / 3.0, x0, 0.8);
    assertEquals((squareX(39) + 6 - 8) / 3.0, x1, 0.8);
    assertTrue(brightCentroidX(first, 7) > x0 + 1.5, "square moves right within a clip");
  }

  @Test
  void strideAndFrameStepControlTheCut(@TempDir Path dir) throws IOException {
    Path mp4 = writeMp4(dir, 40);
    IngestResult r =
        new VideoIngest(new IngestOptions(SHAPE, 4, 2, ClipKind.PORTRAIT)).ingest(List.of(mp4));
    // 20 kept frames, clips of 8 every 4 -> starts 0, 4, 8, 12
    assertEquals(4, r.clips().size());
    ClipSource s = r.clips().get(1).source();
    assertEquals(8, s.firstFrame());
    assertEquals(2, s.frameStep());
    assertEquals(mp4.toString(), s.path());
  }

  @Test
  void ingestsSortedPngFolder(@TempDir Path dir) throws IOException {
    Path folder = Files.createDirectory(dir.resolve("frames"));
    // written out of order; names sort 00..11
    for (int i = 11; i >= 0; i--) {
      ImageIO.write(
          frame(squareX(3 * i)), "png", folder.resolve(String.format("f%02d.png", i)).toFile());
    }
    Files.writeString(folder.resolve("notes.txt"), "ignored");
    IngestResult r = new VideoIngest(IngestOptions.of(SHAPE)).ingest(List.of(folder));
    assertEquals(List.of(), r.report().skipped());
    assertEquals(12, r.report().ingested().get(0).frames());
    assertEquals(1, r.clips().size());
    Clip c = r.clips().get(0).clip();
    for (int t = 1; t < 8; t++) {
      assertTrue(brightCentroidX(c, t) > brightCentroidX(c, t - 1), "frames in name order");
    }
  }

  @Test
  void corruptFileIsSkippedByNameWhileGoodFileIsIngested(@TempDir Path dir) throws IOException {
    Path good = writeMp4(dir, 16);
    Path bad = dir.resolve("broken.mp4");
    byte[] junk = new byte[4096];
    new Random(3).nextBytes(junk);
    Files.write(bad, junk);
    Path missing = dir.resolve("missing.mp4");

    IngestResult r = new VideoIngest(IngestOptions.of(SHAPE)).ingest(List.of(bad, good, missing));
    assertEquals(2, r.clips().size());
    assertEquals(good.toString(), r.report().ingested().get(0).path());
    assertEquals(2, r.report().skipped().size());
    IngestReport.Skipped s = r.report().skipped().get(0);
    assertEquals(bad.toString(), s.path());
    assertTrue(s.reason().contains("broken.mp4"), s.reason());
    assertTrue(r.report().skipped().get(1).reason().contains("missing.mp4"));
  }

  @Test
  void tooShortAndCorruptPngAreSkippedWithReasons(@TempDir Path dir) throws IOException {
    Path shortVideo = writeMp4(dir, 5);
    Path folder = Files.createDirectory(dir.resolve("pngs"));
    for (int i = 0; i < 8; i++) {
      ImageIO.write(frame(i), "png", folder.resolve("f" + i + ".png").toFile());
    }
    Files.write(folder.resolve("f3.png"), new byte[] {1, 2, 3});
    IngestResult r = new VideoIngest(IngestOptions.of(SHAPE)).ingest(List.of(shortVideo, folder));
    assertEquals(0, r.clips().size());
    assertTrue(r.report().skipped().get(0).reason().contains("too short"));
    assertTrue(r.report().skipped().get(1).reason().contains("f3.png"), r.report().toString());
  }

  @Test
  void ingestToWritesAFilteredDataset(@TempDir Path dir) throws IOException {
    Path mp4 = writeMp4(dir, 16);
    IngestReport report =
        new VideoIngest(IngestOptions.of(SHAPE))
            .ingestTo(List.of(mp4), dir.resolve("ds"), 10, new QualityFilter());
    assertEquals(2, report.totalClips());
    List<DatasetItem> items = DatasetReader.open(dir.resolve("ds")).readAll();
    assertEquals(2, items.size());
    // a grey square has no skin: the portrait filter rejects it, and says why
    assertTrue(items.get(0).verdict().reasons().stream().anyMatch(s -> s.startsWith("no subject")));
  }
}
