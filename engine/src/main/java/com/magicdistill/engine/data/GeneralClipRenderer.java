package com.magicdistill.engine.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Renders general (non-portrait) clips for base pretraining, one of three scene types chosen per
 * clip: moving shapes (circles, rectangles, triangles with constant velocities, bouncing off the
 * borders), moving textures (stripes or checkerboard drifting, plus soft noise blobs) and camera
 * pans (a window sliding over a random canvas twice the frame size).
 */
public final class GeneralClipRenderer {
  /** Generator name used in {@link ClipSource}. */
  public static final String GENERATOR = "general";

  /** The scene types. */
  public enum Scene {
    SHAPES,
    TEXTURE,
    PAN
  }

  private final ClipShape shape;

  public GeneralClipRenderer(ClipShape shape) {
    this.shape = shape;
  }

  /** Renders general clip {@code index} of master {@code seed} (deterministic). */
  public LabeledClip render(long seed, int index) {
    Random r = Seeds.random(seed, GENERATOR, index);
    Scene scene = Scene.values()[r.nextInt(Scene.values().length)];
    String id = "general-" + seed + "-" + index;
    float[] rgb =
        switch (scene) {
          case SHAPES -> shapes(r);
          case TEXTURE -> texture(r);
          case PAN -> pan(r);
        };
    return new LabeledClip(
        new Clip(id, shape, rgb),
        ClipKind.GENERAL,
        Defect.NONE,
        ClipSource.synthetic(GENERATOR, seed, index));
  }

  private float[] shapes(Random r) {
    int s = Supersampler.FACTOR;
    double w = shape.width() * s;
    double h = shape.height() * s;
    int n = 2 + r.nextInt(4);
    double[] x = new double[n];
    double[] y = new double[n];
    double[] vx = new double[n];
    double[] vy = new double[n];
    double[] size = new double[n];
    double[] spin = new double[n];
    int[] type = new int[n];
    Color[] color = new Color[n];
    for (int i = 0; i < n; i++) {
      size[i] = PortraitParams.uniform(r, 0.12, 0.35) * Math.min(w, h);
      x[i] = PortraitParams.uniform(r, 0, w);
      y[i] = PortraitParams.uniform(r, 0, h);
      double speed = PortraitParams.uniform(r, 0.02, 0.08) * w;
      double dir = PortraitParams.uniform(r, 0, 2 * Math.PI);
      vx[i] = speed * Math.cos(dir);
      vy[i] = speed * Math.sin(dir);
      spin[i] = PortraitParams.uniform(r, -0.3, 0.3);
      type[i] = r.nextInt(3);
      color[i] = randomColor(r);
    }
    Color bg = randomColor(r);
    float[] rgb = new float[shape.size()];
    BufferedImage img = Supersampler.canvas(shape.width(), shape.height());
    for (int t = 0; t < shape.frames(); t++) {
      Graphics2D g = Supersampler.graphics(img);
      g.setColor(bg);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (int i = 0; i < n; i++) {
        double px = bounce(x[i] + vx[i] * t, w);
        double py = bounce(y[i] + vy[i] * t, h);
        AffineTransform saved = g.getTransform();
        g.translate(px, py);
        g.rotate(spin[i] * t);
        g.setColor(color[i]);
        g.fill(primitive(type[i], size[i]));
        g.setTransform(saved);
      }
      g.dispose();
      Supersampler.downsampleInto(img, shape, t, rgb);
    }
    return rgb;
  }

  private float[] texture(Random r) {
    int s = Supersampler.FACTOR;
    double w = shape.width() * s;
    double h = shape.height() * s;
    boolean checker = r.nextBoolean();
    double period = PortraitParams.uniform(r, 0.15, 0.45) * Math.min(w, h);
    double angle = PortraitParams.uniform(r, 0, Math.PI);
    double drift = PortraitParams.uniform(r, 0.03, 0.12) * period * 2;
    Color a = randomColor(r);
    Color b = randomColor(r);
    int blobs = 2 + r.nextInt(3);
    double[][] blob = new double[blobs][5];
    Color[] blobColor = new Color[blobs];
    for (int i = 0; i < blobs; i++) {
      blob[i] =
          new double[] {
            r.nextDouble() * w,
            r.nextDouble() * h,
            PortraitParams.uniform(r, -0.05, 0.05) * w,
            PortraitParams.uniform(r, -0.05, 0.05) * h,
            PortraitParams.uniform(r, 0.15, 0.35) * Math.min(w, h)
          };
      blobColor[i] = randomColor(r);
    }
    float[] rgb = new float[shape.size()];
    BufferedImage img = Supersampler.canvas(shape.width(), shape.height());
    double diag = Math.hypot(w, h);
    for (int t = 0; t < shape.frames(); t++) {
      Graphics2D g = Supersampler.graphics(img);
      g.setColor(a);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      AffineTransform saved = g.getTransform();
      g.translate(w / 2, h / 2);
      g.rotate(angle);
      g.translate(drift * t % (2 * period), 0);
      g.setColor(b);
      int k = (int) Math.ceil(diag / period) + 2;
      for (int i = -k; i <= k; i++) {
        if (checker) {
          for (int j = -k; j <= k; j++) {
            if (((i + j) & 1) == 0) {
              g.fill(new Rectangle2D.Double(i * period, j * period, period, period));
            }
          }
        } else if ((i & 1) == 0) {
          g.fill(new Rectangle2D.Double(i * period, -diag, period, 2 * diag));
        }
      }
      g.setTransform(saved);
      for (int i = 0; i < blobs; i++) {
        double[] bl = blob[i];
        softBlob(
            g, bounce(bl[0] + bl[2] * t, w), bounce(bl[1] + bl[3] * t, h), bl[4], blobColor[i]);
      }
      g.dispose();
      Supersampler.downsampleInto(img, shape, t, rgb);
    }
    return rgb;
  }

  private float[] pan(Random r) {
    int s = Supersampler.FACTOR;
    int w = shape.width() * s;
    int h = shape.height() * s;
    BufferedImage canvas = new BufferedImage(2 * w, 2 * h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Supersampler.graphics(canvas);
    g.setColor(randomColor(r));
    g.fillRect(0, 0, 2 * w, 2 * h);
    int items = 10 + r.nextInt(10);
    g.setStroke(new BasicStroke(s * 1.5f));
    for (int i = 0; i < items; i++) {
      double x = r.nextDouble() * 2 * w;
      double y = r.nextDouble() * 2 * h;
      double size = PortraitParams.uniform(r, 0.1, 0.5) * Math.min(w, h);
      Color c = randomColor(r);
      if (r.nextInt(3) == 0) {
        softBlob(g, x, y, size, c);
      } else {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(r.nextDouble() * Math.PI);
        g.setColor(c);
        Shape p = primitive(r.nextInt(3), size);
        if (r.nextBoolean()) {
          g.fill(p);
        } else {
          g.draw(p);
        }
        g.setTransform(saved);
      }
    }
    g.dispose();
    double x0 = r.nextDouble() * w;
    double y0 = r.nextDouble() * h;
    double x1 = r.nextDouble() * w;
    double y1 = r.nextDouble() * h;
    float[] rgb = new float[shape.size()];
    int[] argb = canvas.getRGB(0, 0, 2 * w, 2 * h, null, 0, 2 * w);
    for (int t = 0; t < shape.frames(); t++) {
      double u = (double) t / (shape.frames() - 1);
      int x = (int) Math.round(x0 + (x1 - x0) * u);
      int y = (int) Math.round(y0 + (y1 - y0) * u);
      AreaResize.resize(
          argb, 2 * w, x, y, w, h, shape.width(), shape.height(), rgb, t * shape.frameSize());
    }
    return rgb;
  }

  private static Shape primitive(int type, double size) {
    double half = size / 2;
    return switch (type) {
      case 0 -> new Ellipse2D.Double(-half, -half, size, size);
      case 1 -> new Rectangle2D.Double(-half, -half * 0.7, size, size * 0.7);
      default -> {
        Path2D.Double tri = new Path2D.Double();
        tri.moveTo(0, -half);
        tri.lineTo(half, half);
        tri.lineTo(-half, half);
        tri.closePath();
        yield tri;
      }
    };
  }

  private static void softBlob(Graphics2D g, double x, double y, double rad, Color c) {
    Color clear = new Color(c.getRed(), c.getGreen(), c.getBlue(), 0);
    g.setPaint(
        new RadialGradientPaint(
            new Point2D.Double(x, y),
            (float) rad,
            new float[] {0f, 1f},
            new Color[] {c, clear},
            MultipleGradientPaint.CycleMethod.NO_CYCLE));
    g.fill(new Ellipse2D.Double(x - rad, y - rad, 2 * rad, 2 * rad));
  }

  /** Reflects a coordinate into [0, limit] (a bounce off the borders). */
  private static double bounce(double v, double limit) {
    double period = 2 * limit;
    double m = ((v % period) + period) % period;
    return m <= limit ? m : period - m;
  }

  private static Color randomColor(Random r) {
    return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
  }
}
