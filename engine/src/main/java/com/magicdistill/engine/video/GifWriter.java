package com.magicdistill.engine.video;

import com.magicdistill.engine.data.Clip;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Animated GIF of a clip via ImageIO: loops forever, fixed frame delay, integer upscale. */
public final class GifWriter {
  private static final String FORMAT = "javax_imageio_gif_image_1.0";

  private GifWriter() {}

  /**
   * Writes {@code clip} to {@code out}.
   *
   * @param scale integer nearest-neighbour upscale (e.g. 4 makes 32x32 into 128x128)
   * @param delayMs delay per frame in milliseconds (GIF stores hundredths of a second)
   */
  public static void write(Clip clip, Path out, int scale, int delayMs) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.deleteIfExists(out);
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out.toFile())) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      for (int t = 0; t < clip.frames(); t++) {
        BufferedImage img = ClipImages.toBufferedImage(clip, t, scale);
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata meta =
            writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
        configure(meta, delayMs, t == 0);
        writer.writeToSequence(new IIOImage(img, null, meta), param);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
  }

  private static void configure(IIOMetadata meta, int delayMs, boolean first) throws IOException {
    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
    IIOMetadataNode gce = child(root, "GraphicControlExtension");
    gce.setAttribute("disposalMethod", "none");
    gce.setAttribute("userInputFlag", "FALSE");
    gce.setAttribute("transparentColorFlag", "FALSE");
    gce.setAttribute("delayTime", Integer.toString(Math.max(1, Math.round(delayMs / 10f))));
    gce.setAttribute("transparentColorIndex", "0");
    if (first) {
      IIOMetadataNode apps = child(root, "ApplicationExtensions");
      IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
      app.setAttribute("applicationID", "NETSCAPE");
      app.setAttribute("authenticationCode", "2.0");
      app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
      apps.appendChild(app);
    }
    meta.setFromTree(FORMAT, root);
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
