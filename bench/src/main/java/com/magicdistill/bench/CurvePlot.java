package com.magicdistill.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** A small line plot (PNG) of named series of [x, y] points, drawn with Java2D. */
final class CurvePlot {
  private static final Color[] COLORS = {
    new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD)
  };

  private CurvePlot() {}

  static void write(
      Map<String, List<double[]>> series, String title, String xLabel, String yLabel, Path out)
      throws IOException {
    int w = 720;
    int h = 420;
    int left = 70;
    int right = 20;
    int top = 40;
    int bottom = 50;
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (List<double[]> s : series.values()) {
      for (double[] p : s) {
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    if (maxX == minX) {
      maxX = minX + 1;
    }
    double pad = (maxY - minY) * 0.08 + 1e-9;
    minY -= pad;
    maxY += pad;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.DARK_GRAY);
    g.drawRect(left, top, w - left - right, h - top - bottom);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 4; i++) {
      double y = minY + (maxY - minY) * i / 4;
      int py = top + (int) ((h - top - bottom) * (1 - (double) i / 4));
      g.drawString(String.format(Locale.ROOT, "%.2f", y), 5, py + 4);
      double x = minX + (maxX - minX) * i / 4;
      int px = left + (int) ((w - left - right) * (double) i / 4);
      g.drawString(String.format(Locale.ROOT, "%.0f", x), px - 10, h - bottom + 18);
    }
    g.drawString(xLabel, w / 2 - 40, h - 10);
    g.drawString(yLabel, 5, top - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left, 22);
    int c = 0;
    for (var e : series.entrySet()) {
      g.setColor(COLORS[c % COLORS.length]);
      g.setStroke(new BasicStroke(2f));
      int[] prev = null;
      for (double[] p : e.getValue()) {
        int px = left + (int) ((w - left - right) * (p[0] - minX) / (maxX - minX));
        int py = top + (int) ((h - top - bottom) * (1 - (p[1] - minY) / (maxY - minY)));
        if (prev != null) {
          g.drawLine(prev[0], prev[1], px, py);
        }
        g.fillOval(px - 3, py - 3, 6, 6);
        prev = new int[] {px, py};
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(e.getKey(), w - right - 150, top + 18 + 16 * c);
      c++;
    }
    g.dispose();
    ImageIO.write(img, "png", out.toFile());
  }
}
