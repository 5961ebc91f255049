package com.magicdistill.engine.video;

import com.magicdistill.engine.data.Clip;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * PNG grid of clips: one row per clip, one column per frame, optional row labels on the left, a
 * {@value #GAP}-pixel dark gap between cells.
 */
public final class ContactSheet {
  public static final int GAP = 2;
  private static final Color BACKGROUND = new Color(24, 24, 24);

  private ContactSheet() {}

  /**
   * Renders the sheet.
   *
   * @param labels one label per clip, or null for none
   * @param scale integer nearest-neighbour upscale of each frame
   */
  public static BufferedImage render(List<Clip> clips, List<String> labels, int scale) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("no clips");
    }
    if (labels != null && labels.size() != clips.size()) {
      throw new IllegalArgumentException(clips.size() + " clips but " + labels.size() + " labels");
    }
    int cellH = 0;
    int cellW = 0;
    int columns = 0;
    for (Clip c : clips) {
      cellH = Math.max(cellH, c.shape().height() * scale);
      cellW = Math.max(cellW, c.shape().width() * scale);
      columns = Math.max(columns, c.frames());
    }
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(14, cellH / 3)));
    int labelW = labels == null ? 0 : labelWidth(labels, font) + 2 * GAP;
    int width = labelW + GAP + columns * (cellW + GAP);
    int height = GAP + clips.size() * (cellH + GAP);
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(font);
      FontMetrics fm = g.getFontMetrics();
      for (int row = 0; row < clips.size(); row++) {
        Clip clip = clips.get(row);
        int y = GAP + row * (cellH + GAP);
        if (labels != null) {
          g.setColor(Color.WHITE);
          g.drawString(labels.get(row), GAP, y + (cellH + fm.getAscent() - fm.getDescent()) / 2);
        }
        for (int t = 0; t < clip.frames(); t++) {
          int x = labelW + GAP + t * (cellW + GAP);
          g.drawImage(ClipImages.toBufferedImage(clip, t, scale), x, y, null);
        }
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }

  /** Renders and writes a PNG to {@code out}. */
  public static void write(List<Clip> clips, List<String> labels, int scale, Path out)
      throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(render(clips, labels, scale), "png", out.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }

  /**
   * Writes the methods side by side: for each of the first {@code clips} held-out clips, the real
   * clip ({@code real <i>}) and then each method's clip from the same first frame ({@code <method>
   * <i>}), in {@code byMethod}'s order.
   */
  public static void writeComparison(
      List<Clip> real, Map<String, List<Clip>> byMethod, int clips, int scale, Path out)
      throws IOException {
    List<Clip> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < clips; i++) {
      rows.add(real.get(i));
      labels.add("real " + i);
      for (var e : byMethod.entrySet()) {
        rows.add(e.getValue().get(i));
        labels.add(e.getKey() + " " + i);
      }
    }
    write(rows, labels, scale, out);
  }

  private static int labelWidth(List<String> labels, Font font) {
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = probe.createGraphics();
    try {
      FontMetrics fm = g.getFontMetrics(font);
      int w = 0;
      for (String label : labels) {
        w = Math.max(w, fm.stringWidth(label));
      }
      return w;
    } finally {
      g.dispose();
    }
  }
}
