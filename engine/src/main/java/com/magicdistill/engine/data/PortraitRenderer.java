package com.magicdistill.engine.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Renders synthetic talking-head clips: a face ellipse with hair, eyes that blink, a mouth that
 * follows a speech-like envelope, shoulders, small head sway (translation and roll), a directional
 * lighting gradient and a flat, gradient or softly textured background. Drawn with Java2D at {@link
 * Supersampler#FACTOR}x with antialiasing and area-downsampled.
 */
public final class PortraitRenderer {
  /** Generator name used in {@link ClipSource}. */
  public static final String GENERATOR = "portrait";

  /** Generator name of {@link MotionModel#V2} portraits. */
  public static final String GENERATOR_V2 = "portrait-v2";

  private final ClipShape shape;
  private final MotionModel motion;

  /** Renders {@link MotionModel#V1} portraits. */
  public PortraitRenderer(ClipShape shape) {
    this(shape, MotionModel.V1);
  }

  public PortraitRenderer(ClipShape shape, MotionModel motion) {
    this.shape = shape;
    this.motion = motion;
  }

  private String generator() {
    return motion == MotionModel.V1 ? GENERATOR : GENERATOR_V2;
  }

  /** Random parameters of portrait {@code index} under master {@code seed}. */
  public PortraitParams params(long seed, int index) {
    return PortraitParams.random(Seeds.random(seed, generator(), index), shape.frames(), motion);
  }

  /**
   * Renders portrait {@code index} of master {@code seed}: deterministic, so evaluation can make
   * held-out clips by using another seed.
   */
  public LabeledClip render(long seed, int index) {
    Clip clip = render(params(seed, index), generator() + "-" + seed + "-" + index);
    return new LabeledClip(
        clip, ClipKind.PORTRAIT, Defect.NONE, ClipSource.synthetic(generator(), seed, index));
  }

  /** Renders the given parameters into a clip named {@code id}. */
  public Clip render(PortraitParams p, String id) {
    float[] rgb = new float[shape.size()];
    BufferedImage background = backgroundImage(p);
    BufferedImage img = Supersampler.canvas(shape.width(), shape.height());
    for (int t = 0; t < shape.frames(); t++) {
      Graphics2D g = Supersampler.graphics(img);
      g.drawImage(background, 0, 0, null);
      drawPerson(g, p, t);
      g.dispose();
      Supersampler.downsampleInto(img, shape, t, rgb);
      applyLighting(p, rgb, t);
    }
    return new Clip(id, shape, rgb);
  }

  private BufferedImage backgroundImage(PortraitParams p) {
    BufferedImage bg = Supersampler.canvas(shape.width(), shape.height());
    int w = bg.getWidth();
    int h = bg.getHeight();
    Graphics2D g = Supersampler.graphics(bg);
    g.setColor(p.bg1());
    g.fillRect(0, 0, w, h);
    switch (p.background()) {
      case GRADIENT -> {
        double cx = w / 2.0;
        double cy = h / 2.0;
        double dx = Math.cos(p.bgAngle()) * w / 2.0;
        double dy = Math.sin(p.bgAngle()) * h / 2.0;
        g.setPaint(
            new java.awt.GradientPaint(
                (float) (cx - dx),
                (float) (cy - dy),
                p.bg1(),
                (float) (cx + dx),
                (float) (cy + dy),
                p.bg2()));
        g.fillRect(0, 0, w, h);
      }
      case TEXTURE -> {
        Random r = new Random(p.textureSeed());
        int blobs = 4 + r.nextInt(5);
        Color solid = p.bg2();
        Color clear = new Color(solid.getRed(), solid.getGreen(), solid.getBlue(), 0);
        for (int i = 0; i < blobs; i++) {
          float x = (float) (r.nextDouble() * w);
          float y = (float) (r.nextDouble() * h);
          float rad = (float) (PortraitParams.uniform(r, 0.15, 0.4) * Math.min(w, h));
          g.setPaint(
              new RadialGradientPaint(
                  new Point2D.Float(x, y),
                  rad,
                  new float[] {0f, 1f},
                  new Color[] {solid, clear},
                  MultipleGradientPaint.CycleMethod.NO_CYCLE));
          g.fill(new Ellipse2D.Float(x - rad, y - rad, 2 * rad, 2 * rad));
        }
      }
      case FLAT -> {}
    }
    g.dispose();
    return bg;
  }

  private void drawPerson(Graphics2D g, PortraitParams p, int t) {
    double w = shape.width() * Supersampler.FACTOR;
    double h = shape.height() * Supersampler.FACTOR;
    double phase = 2 * Math.PI * p.swayHz() * t / PortraitParams.FPS + p.swayPhase();
    double dx;
    double dy;
    double roll;
    if (p.motionModel() == MotionModel.V2) {
      // chirped sway, independent y and roll phases, drift centred on the clip's middle frame
      double sec = t / PortraitParams.FPS;
      double cycles = p.swayHz() * sec + 0.5 * p.swayChirp() * sec * sec;
      phase = 2 * Math.PI * cycles + p.swayPhase();
      dx = p.swayX() * w * Math.sin(phase) + p.driftX() * w * (t - (shape.frames() - 1) / 2.0);
      dy = p.swayY() * h * Math.sin(1.3 * 2 * Math.PI * cycles + p.phaseY());
      roll = Math.toRadians(p.tiltDeg() * Math.sin(0.8 * 2 * Math.PI * cycles + p.phaseRoll()));
    } else {
      dx = p.swayX() * w * Math.sin(phase);
      dy = p.swayY() * h * Math.sin(1.7 * phase + 0.5);
      roll = Math.toRadians(p.tiltDeg() * Math.sin(1.3 * phase + 1.1));
    }
    double fh = p.faceHeight() * h;
    double fw = p.faceAspect() * fh;
    double cx = p.faceCx() * w + dx;
    double cy = p.faceCy() * h + dy;

    // shoulders: follow the head's translation only
    g.setColor(p.shirt());
    g.fill(new Ellipse2D.Double(cx - 1.15 * fw, cy + 0.68 * fh, 2.3 * fw, 1.4 * fh));

    AffineTransform saved = g.getTransform();
    g.translate(cx, cy);
    g.rotate(roll);
    Color neck = scale(p.skin(), 0.88);
    g.setColor(neck);
    g.fill(new Rectangle.Double(-0.22 * fw, 0.3 * fh, 0.44 * fw, 0.5 * fh));
    if (p.hairStyle() == PortraitParams.HairStyle.LONG) {
      g.setColor(p.hair());
      g.fill(
          new RoundRectangle2D.Double(-0.66 * fw, -0.6 * fh, 1.32 * fw, 1.08 * fh, fw, 0.5 * fh));
    }
    g.setColor(p.skin());
    g.fill(new Ellipse2D.Double(-fw / 2, -fh / 2, fw, fh));

    // hair on top of the head
    double hairLine = p.hairStyle() == PortraitParams.HairStyle.SHORT ? -0.32 * fh : -0.2 * fh;
    Graphics2D hg = (Graphics2D) g.create();
    hg.clip(new Rectangle.Double(-fw, -fh, 2 * fw, fh + hairLine));
    hg.setColor(p.hair());
    hg.fill(new Ellipse2D.Double(-0.54 * fw, -0.58 * fh, 1.08 * fw, 1.1 * fh));
    hg.dispose();

    // eyebrows, eyes
    // features grow with featureScale: heights by k, widths by 1 + 0.6 (k - 1); exactly 1 in v1
    double k = p.featureScale();
    double kw = 1 + 0.6 * (k - 1);
    double eyeY = -0.06 * fh;
    double eyeW = 0.2 * fw * kw;
    double eyeH = 0.1 * fh * k;
    g.setStroke(
        new BasicStroke((float) (0.03 * fh), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int side = -1; side <= 1; side += 2) {
      double ex = side * 0.21 * fw;
      g.setColor(scale(p.hair(), 0.8));
      g.draw(new Line2D.Double(ex - eyeW / 2, eyeY - 0.1 * fh, ex + eyeW / 2, eyeY - 0.11 * fh));
      if (p.eyesClosed()[t]) {
        g.setColor(new Color(40, 28, 24));
        g.draw(new Line2D.Double(ex - eyeW / 2, eyeY, ex + eyeW / 2, eyeY));
      } else {
        g.setColor(new Color(236, 236, 230));
        g.fill(new Ellipse2D.Double(ex - eyeW / 2, eyeY - eyeH / 2, eyeW, eyeH));
        g.setColor(new Color(35, 28, 24));
        double d = 0.085 * fh * kw;
        g.fill(new Ellipse2D.Double(ex - d / 2, eyeY - d / 2, d, d));
      }
    }

    // mouth: opening follows the speech envelope
    double open = p.mouthOpen()[t];
    double mw = 0.36 * fw * kw;
    double mh = k * (0.025 * fh + open * 0.17 * fh);
    g.setColor(new Color(90, 22, 32));
    g.fill(new Ellipse2D.Double(-mw / 2, 0.26 * fh - mh / 2, mw, mh));
    g.setTransform(saved);
  }

  /**
   * Directional lighting: each pixel is multiplied by {@code exposure * (1 + strength * d)} where
   * {@code d} in [-1, 1] is the pixel's position along the light direction.
   */
  private void applyLighting(PortraitParams p, float[] rgb, int t) {
    int w = shape.width();
    int h = shape.height();
    double ca = Math.cos(p.lightAngle());
    double sa = Math.sin(p.lightAngle());
    double norm = Math.abs(ca) + Math.abs(sa);
    int base = t * shape.frameSize();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = 2.0 * (x + 0.5) / w - 1;
        double v = 2.0 * (y + 0.5) / h - 1;
        double d = (u * ca + v * sa) / norm;
        float gain = (float) (p.exposure() * (1 + p.lightStrength() * d));
        int i = base + (y * w + x) * 3;
        for (int c = 0; c < 3; c++) {
          rgb[i + c] = Math.min(1f, rgb[i + c] * gain);
        }
      }
    }
  }

  private static Color scale(Color c, double k) {
    return new Color(
        (int) Math.min(255, Math.round(c.getRed() * k)),
        (int) Math.min(255, Math.round(c.getGreen() * k)),
        (int) Math.min(255, Math.round(c.getBlue() * k)));
  }
}
