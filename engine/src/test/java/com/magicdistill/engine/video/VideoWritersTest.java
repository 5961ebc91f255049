package com.magicdistill.engine.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.eval.TestClips;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoWritersTest {
  private final Clip clip = TestClips.movingDisc(0);

  @Test
  void bufferedImageIsUpscaledNearestNeighbour() {
    BufferedImage img = ClipImages.toBufferedImage(clip, 2, 3);
    assertEquals(96, img.getWidth());
    assertEquals(96, img.getHeight());
    int r = ClipImages.to8(clip.get(2, 5, 7, 0));
    assertEquals(r, (img.getRGB(7 * 3 + 2, 5 * 3 + 1) >> 16) & 0xff);
  }

  @Test
  void gifRoundTripsFrameCountSizeDelayAndLoop(@TempDir Path dir) throws Exception {
    Path gif = dir.resolve("clip.gif");
    GifWriter.write(clip, gif, 4, 120);
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      reader.setInput(in);
      assertEquals(16, reader.getNumImages(true));
      assertEquals(128, reader.getWidth(0));
      IIOMetadataNode root =
          (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
      IIOMetadataNode gce =
          (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
      assertEquals("12", gce.getAttribute("delayTime"));
      IIOMetadataNode app =
          (IIOMetadataNode) root.getElementsByTagName("ApplicationExtension").item(0);
      assertEquals("NETSCAPE", app.getAttribute("applicationID"));
    } finally {
      reader.dispose();
    }
  }

  @Test
  void contactSheetHasOneRowPerClipAndOneColumnPerFrame(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("sheet.png");
    List<Clip> clips = List.of(clip, TestClips.otherScene(0));
    ContactSheet.write(clips, null, 2, png);
    BufferedImage img = ImageIO.read(png.toFile());
    int g = ContactSheet.GAP;
    assertEquals(g + 16 * (64 + g), img.getWidth());
    assertEquals(g + 2 * (64 + g), img.getHeight());

    Path labelled = dir.resolve("labelled.png");
    ContactSheet.write(clips, List.of("teacher", "student"), 2, labelled);
    BufferedImage withLabels = ImageIO.read(labelled.toFile());
    assertTrue(withLabels.getWidth() > img.getWidth());
    assertEquals(img.getHeight(), withLabels.getHeight());
  }

  @Test
  void comparisonSheetShowsTheRealClipThenEachMethodForEachClip(@TempDir Path dir)
      throws Exception {
    List<Clip> real = List.of(clip, TestClips.otherScene(0), TestClips.otherScene(1));
    Map<String, List<Clip>> byMethod = new LinkedHashMap<>();
    byMethod.put("w2s4", List.of(TestClips.otherScene(2), clip, clip));
    byMethod.put("euler28", List.of(clip, clip, clip));
    Path png = dir.resolve("comparison.png");
    ContactSheet.writeComparison(real, byMethod, 2, 1, png);
    int g = ContactSheet.GAP;
    assertEquals(g + 2 * 3 * (32 + g), ImageIO.read(png.toFile()).getHeight());

    Path first = dir.resolve("first.png");
    ClipImages.writePng(real.get(1), 0, 2, first);
    BufferedImage img = ImageIO.read(first.toFile());
    assertEquals(64, img.getWidth());
    int r = ClipImages.to8(real.get(1).get(0, 3, 4, 0));
    assertEquals(r, (img.getRGB(4 * 2, 3 * 2) >> 16) & 0xff);
  }

  @Test
  void mp4IsNonEmptyAndDecodable(@TempDir Path dir) throws Exception {
    Path mp4 = dir.resolve("clip.mp4");
    Mp4Writer.write(clip, mp4, 1, 8);
    assertTrue(Files.size(mp4) > 0);
    int frames = 0;
    int width = -1;
    try (SeekableByteChannel ch = NIOUtils.readableChannel(new File(mp4.toString()))) {
      FrameGrab grab = FrameGrab.createFrameGrab(ch);
      Picture p;
      while ((p = grab.getNativeFrame()) != null) {
        width = p.getWidth();
        frames++;
      }
    }
    assertEquals(16, frames);
    assertEquals(64, width);
    assertEquals(64, Mp4Writer.effectiveScale(32, 32, 1) * 32);
    assertEquals(6, Mp4Writer.effectiveScale(11, 11, 1));
  }
}
