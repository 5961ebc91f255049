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

/**
 * A small line plot (PNG) of named series of [x, y] points, drawn with Java2D; points given as [x,
 * y, lo, hi] also get a vertical bar over their interval.
 */
final class CurvePlot {
  private static final Color[] COLORS = {
    new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD)
  };
  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;

  /** One chart: its title, axis labels and series. */
  record Panel(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {}

  private CurvePlot() {}

  static void write(
      Map<String, List<double[]>> series, String title, String xLabel, String yLabel, Path out)
      throws IOException {
    writePanels(List.of(new Panel(title, xLabel, yLabel, series)), out);
  }

  /** The panels stacked vertically, each the size of a single plot. */
  static void writePanels(List<Panel> panels, Path out) throws IOException {
    BufferedImage img =
        new BufferedImage(WIDTH, HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      Graphics2D p = (Graphics2D) g.create(0, HEIGHT * i, WIDTH, HEIGHT);
      draw(p, panels.get(i));
      p.dispose();
    }
    g.dispose();
    ImageIO.write(img, "png", out.toFile());
  }

  private static void draw(Graphics2D g, Panel panel) {
    int w = WIDTH;
    int h = HEIGHT;
    int left = 70;
    int right = 20;
    int top = 40;
    int bottom = 50;
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (List<double[]> s : panel.series().values()) {
      for (double[] p : s) {
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        for (int k = 1; k < p.length; k++) {
          minY = Math.min(minY, p[k]);
          maxY = Math.max(maxY, p[k]);
        }
      }
    }
    if (maxX == minX) {
      maxX = minX + 1;
    }
    double pad = (maxY - minY) * 0.08 + 1e-9;
    minY -= pad;
    maxY += pad;
    g.setColor(Color.DARK_GRAY);
    g.drawRect(left, top, w - left - right, h - top - bottom);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    String yFormat = "%." + tickDecimals((maxY - minY) / 4) + "f";
    for (int i = 0; i <= 4; i++) {
      double y = minY + (maxY - minY) * i / 4;
      int py = top + (int) ((h - top - bottom) * (1 - (double) i / 4));
      g.drawString(String.format(Locale.ROOT, yFormat, y), 5, py + 4);
      double x = minX + (maxX - minX) * i / 4;
      int px = left + (int) ((w - left - right) * (double) i / 4);
      g.drawString(String.format(Locale.ROOT, "%.0f", x), px - 10, h - bottom + 18);
    }
    g.drawString(panel.xLabel(), w / 2 - 40, h - 10);
    g.drawString(panel.yLabel(), 5, top - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(panel.title(), left, 22);
    int c = 0;
    for (var e : panel.series().entrySet()) {
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
        if (p.length >= 4) {
          int lo = top + (int) ((h - top - bottom) * (1 - (p[2] - minY) / (maxY - minY)));
          int hi = top + (int) ((h - top - bottom) * (1 - (p[3] - minY) / (maxY - minY)));
          g.setStroke(new BasicStroke(1f));
          g.drawLine(px, lo, px, hi);
          g.drawLine(px - 3, lo, px + 3, lo);
          g.drawLine(px - 3, hi, px + 3, hi);
          g.setStroke(new BasicStroke(2f));
        }
        prev = new int[] {px, py};
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(e.getKey(), w - right - 150, top + 18 + 16 * c);
      c++;
    }
  }

  /** Decimals that tell ticks {@code step} apart: at least 2, one past the step's first digit. */
  static int tickDecimals(double step) {
    if (!(step > 0)) {
      return 2;
    }
    return Math.max(2, (int) Math.ceil(-Math.log10(step)) + 1);
  }
}
