package com.magicdistill.engine.data;

import java.awt.Color;
import java.util.Random;

/**
 * Everything that makes one synthetic talking-head clip what it is. Positions and sizes are
 * fractions of the frame (x of width, y and heights of height), so the same parameters render at
 * any {@link ClipShape}.
 *
 * @param faceCx face centre x (fraction of width)
 * @param faceCy face centre y (fraction of height)
 * @param faceHeight face ellipse height (fraction of frame height), 0.40 to 0.55
 * @param faceAspect face ellipse width / height
 * @param skin skin colour (inside the YCbCr skin box under all lighting used here)
 * @param hair hair colour
 * @param hairStyle how the hair is drawn
 * @param background background style
 * @param bg1 main background colour (never skin coloured)
 * @param bg2 second background colour for gradient and texture (never skin coloured)
 * @param bgAngle gradient direction in radians
 * @param textureSeed seed of the soft background texture
 * @param shirt shirt colour (never skin coloured)
 * @param lightAngle direction of the brightness gradient (radians)
 * @param lightStrength half the relative brightness difference across the frame
 * @param exposure global brightness gain
 * @param swayX horizontal sway amplitude (fraction of width)
 * @param swayY vertical sway amplitude (fraction of height)
 * @param tiltDeg head roll amplitude in degrees
 * @param swayHz sway frequency (cycles per second at {@link #FPS})
 * @param swayPhase sway phase
 * @param mouthOpen per-frame mouth opening in [0, 1] (speech envelope)
 * @param eyesClosed per-frame blink flags
 * @param motionModel how {@link PortraitRenderer} moves the head and sizes mouth and eyes
 * @param driftX horizontal drift per frame (fraction of width, signed; v2 only)
 * @param swayChirp change of the sway frequency over the clip (Hz per second; v2 only)
 * @param phaseY phase of the vertical sway (v2 only; v1 derives it from {@code swayPhase})
 * @param phaseRoll phase of the roll (v2 only; v1 derives it from {@code swayPhase})
 * @param featureScale size of mouth and eyes relative to v1's (1 in v1)
 */
public record PortraitParams(
    double faceCx,
    double faceCy,
    double faceHeight,
    double faceAspect,
    Color skin,
    Color hair,
    HairStyle hairStyle,
    Background background,
    Color bg1,
    Color bg2,
    double bgAngle,
    long textureSeed,
    Color shirt,
    double lightAngle,
    double lightStrength,
    double exposure,
    double swayX,
    double swayY,
    double tiltDeg,
    double swayHz,
    double swayPhase,
    double[] mouthOpen,
    boolean[] eyesClosed,
    MotionModel motionModel,
    double driftX,
    double swayChirp,
    double phaseY,
    double phaseRoll,
    double featureScale) {

  /** Assumed frame rate of synthetic clips. */
  public static final double FPS = 8.0;

  /** Hair styles. */
  public enum HairStyle {
    CAP,
    LONG,
    SHORT
  }

  /** Background styles. */
  public enum Background {
    FLAT,
    GRADIENT,
    TEXTURE
  }

  private static final Color[] HAIR_PALETTE = {
    new Color(20, 18, 18),
    new Color(55, 38, 28),
    new Color(100, 70, 45),
    new Color(200, 170, 110),
    new Color(130, 60, 35),
    new Color(150, 150, 150)
  };

  /** The same portrait with the face centre moved (used to push the face out of frame). */
  public PortraitParams withFaceCenter(double cx, double cy) {
    return new PortraitParams(
        cx,
        cy,
        faceHeight,
        faceAspect,
        skin,
        hair,
        hairStyle,
        background,
        bg1,
        bg2,
        bgAngle,
        textureSeed,
        shirt,
        lightAngle,
        lightStrength,
        exposure,
        swayX,
        swayY,
        tiltDeg,
        swayHz,
        swayPhase,
        mouthOpen,
        eyesClosed,
        motionModel,
        driftX,
        swayChirp,
        phaseY,
        phaseRoll,
        featureScale);
  }

  /** Face size, colours, hair and background: drawn first, in this order, by every model. */
  private record Look(
      double faceHeight,
      double faceAspect,
      Color skin,
      Color hair,
      HairStyle style,
      Background bgStyle,
      Color bg1,
      Color bg2) {
    static Look random(Random r) {
      double faceHeight = uniform(r, 0.40, 0.55);
      double faceAspect = uniform(r, 0.66, 0.82);
      Color skin = randomSkin(r);
      Color hair = jitter(r, HAIR_PALETTE[r.nextInt(HAIR_PALETTE.length)], 12);
      HairStyle style = HairStyle.values()[r.nextInt(HairStyle.values().length)];
      Background bgStyle = Background.values()[r.nextInt(Background.values().length)];
      Color bg1 = randomNonSkin(r);
      Color bg2 = bg1;
      if (bgStyle != Background.FLAT) {
        do {
          bg2 = randomNonSkin(r);
        } while (!segmentClearOfSkin(bg1, bg2));
      }
      return new Look(faceHeight, faceAspect, skin, hair, style, bgStyle, bg1, bg2);
    }
  }

  /** Draws a random portrait for a clip of {@code frames} frames. */
  public static PortraitParams random(Random r, int frames) {
    Look look = Look.random(r);
    return new PortraitParams(
        uniform(r, 0.44, 0.56),
        uniform(r, 0.46, 0.54),
        look.faceHeight(),
        look.faceAspect(),
        look.skin(),
        look.hair(),
        look.style(),
        look.bgStyle(),
        look.bg1(),
        look.bg2(),
        uniform(r, 0, 2 * Math.PI),
        r.nextLong(),
        randomNonSkin(r),
        uniform(r, 0, 2 * Math.PI),
        uniform(r, 0.04, 0.16),
        uniform(r, 0.92, 1.06),
        uniform(r, 0.02, 0.05),
        uniform(r, 0.01, 0.03),
        uniform(r, 1, 5),
        uniform(r, 0.3, 0.9),
        uniform(r, 0, 2 * Math.PI),
        speechEnvelope(r, frames),
        blinks(r, frames),
        MotionModel.V1,
        0,
        0,
        0,
        0,
        1);
  }

  /** Draws a random portrait whose head moves as {@code model} says. */
  public static PortraitParams random(Random r, int frames, MotionModel model) {
    return model == MotionModel.V2 ? randomV2(r, frames) : random(r, frames);
  }

  /** Probability that a v2 clip keeps the head still (it still speaks and blinks). */
  static final double V2_STILL_FRACTION = 0.3;

  /**
   * A {@link MotionModel#V2} portrait: appearance drawn as in v1, then motion that frame 0 does not
   * give away (independent phases, random-sign drift, a chirped sway) and larger mouth and eyes.
   */
  static PortraitParams randomV2(Random r, int frames) {
    Look look = Look.random(r);
    double faceCx = uniform(r, 0.46, 0.54);
    double faceCy = uniform(r, 0.47, 0.53);
    double bgAngle = uniform(r, 0, 2 * Math.PI);
    long textureSeed = r.nextLong();
    Color shirt = randomNonSkin(r);
    double lightAngle = uniform(r, 0, 2 * Math.PI);
    double lightStrength = uniform(r, 0.04, 0.16);
    double exposure = uniform(r, 0.92, 1.06);
    boolean still = r.nextDouble() < V2_STILL_FRACTION;
    double move = still ? 0 : 1;
    double swayX = move * uniform(r, 0.10, 0.18);
    double swayY = move * uniform(r, 0.03, 0.06);
    double tilt = move * uniform(r, 4, 12);
    double swayHz = uniform(r, 0.35, 1.1);
    double chirp = uniform(r, -0.4, 0.4);
    double drift = move * (r.nextBoolean() ? 1 : -1) * uniform(r, 0.005, 0.012);
    double phase = uniform(r, 0, 2 * Math.PI);
    double phaseY = uniform(r, 0, 2 * Math.PI);
    double phaseRoll = uniform(r, 0, 2 * Math.PI);
    // still heads speak without pauses, so mouth and blinks carry their motion
    double[] mouth = speechEnvelope(r, frames, still ? 1.0 : 0.8, still ? 0.0 : 0.12);
    boolean[] eyes = blinksV2(r, frames);
    return new PortraitParams(
        faceCx,
        faceCy,
        look.faceHeight(),
        look.faceAspect(),
        look.skin(),
        look.hair(),
        look.style(),
        look.bgStyle(),
        look.bg1(),
        look.bg2(),
        bgAngle,
        textureSeed,
        shirt,
        lightAngle,
        lightStrength,
        exposure,
        swayX,
        swayY,
        tilt,
        swayHz,
        phase,
        mouth,
        eyes,
        MotionModel.V2,
        drift,
        chirp,
        phaseY,
        phaseRoll,
        1.8);
  }

  /** Whether the head stays still (no sway, roll or drift; v2's speaking-only clips). */
  public boolean stillHead() {
    return swayX == 0 && swayY == 0 && tiltDeg == 0 && driftX == 0;
  }

  /**
   * Mouth opening per frame: the positive part of a sum of three sinusoids of 2 to 6 Hz (sampled at
   * 8 fps, so the faster ones alias into irregular syllable-like jitter), gated by random pauses (a
   * two-state speaking / silent chain).
   */
  static double[] speechEnvelope(Random r, int frames) {
    return speechEnvelope(r, frames, 0.8, 0.12);
  }

  /**
   * As {@link #speechEnvelope(Random, int)}, starting to speak with probability {@code pSpeak} and
   * pausing with probability {@code pPause} per speaking frame.
   */
  static double[] speechEnvelope(Random r, int frames, double pSpeak, double pPause) {
    double[] f = new double[3];
    double[] a = new double[3];
    double[] ph = new double[3];
    double sumA = 0;
    for (int i = 0; i < 3; i++) {
      f[i] = uniform(r, 2, 6);
      a[i] = uniform(r, 0.3, 1);
      ph[i] = uniform(r, 0, 2 * Math.PI);
      sumA += a[i];
    }
    boolean speaking = r.nextDouble() < pSpeak;
    double[] out = new double[frames];
    for (int t = 0; t < frames; t++) {
      if (r.nextDouble() < (speaking ? pPause : 0.35)) {
        speaking = !speaking;
      }
      double s = 0;
      for (int i = 0; i < 3; i++) {
        s += a[i] * Math.sin(2 * Math.PI * f[i] * t / FPS + ph[i]);
      }
      out[t] = speaking ? Math.max(0, Math.min(1, 0.45 + 0.75 * s / sumA)) : 0;
    }
    return out;
  }

  /** Occasional blinks: zero to two per clip, each one or two frames long. */
  static boolean[] blinks(Random r, int frames) {
    double u = r.nextDouble();
    return closedEyes(r, frames, u < 0.5 ? 0 : u < 0.85 ? 1 : 2, 2);
  }

  /** v2 blinks: one to three per clip, each one to three frames long. */
  static boolean[] blinksV2(Random r, int frames) {
    double u = r.nextDouble();
    return closedEyes(r, frames, u < 0.35 ? 1 : u < 0.8 ? 2 : 3, 3);
  }

  /** {@code count} blinks at random frames, each 1 to {@code maxLength} frames long. */
  private static boolean[] closedEyes(Random r, int frames, int count, int maxLength) {
    boolean[] closed = new boolean[frames];
    for (int b = 0; b < count; b++) {
      int start = r.nextInt(frames);
      int len = 1 + r.nextInt(maxLength);
      for (int t = start; t < Math.min(frames, start + len); t++) {
        closed[t] = true;
      }
    }
    return closed;
  }

  /**
   * A human skin tone drawn in YCbCr (Y 60..185, Cb 95..118, Cr 138..160), kept only when it stays
   * inside the skin box of {@link SkinRule} under the brightness gains used for lighting.
   */
  static Color randomSkin(Random r) {
    while (true) {
      double y = uniform(r, 60, 185);
      double cb = uniform(r, 95, 118) - 128;
      double cr = uniform(r, 138, 160) - 128;
      double red = y + 1.402 * cr;
      double green = y - 0.344136 * cb - 0.714136 * cr;
      double blue = y + 1.772 * cb;
      if (red > 235 || green < 15 || blue < 15 || red < 0 || green > 255 || blue > 255) {
        continue;
      }
      Color c = new Color((int) Math.round(red), (int) Math.round(green), (int) Math.round(blue));
      if (skinUnderLighting(c)) {
        return c;
      }
    }
  }

  private static boolean skinUnderLighting(Color c) {
    for (double k : new double[] {0.7, 1.0, 1.3}) {
      double[] v = scaled(c, k);
      if (!SkinRule.isSkin(v[0], v[1], v[2])) {
        return false;
      }
    }
    return true;
  }

  /** A colour that is clearly not skin under every lighting gain used here. */
  static Color randomNonSkin(Random r) {
    while (true) {
      Color c = new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
      if (clearOfSkin(c)) {
        return c;
      }
    }
  }

  private static boolean clearOfSkin(Color c) {
    for (double k : new double[] {0.65, 0.85, 1.0, 1.15, 1.35}) {
      double[] v = scaled(c, k);
      if (!SkinRule.clearlyNotSkin(v[0], v[1], v[2], 5)) {
        return false;
      }
    }
    return true;
  }

  /** True when every blend of the two colours is clearly not skin. */
  static boolean segmentClearOfSkin(Color a, Color b) {
    for (int i = 0; i <= 10; i++) {
      double t = i / 10.0;
      Color m =
          new Color(
              (int) Math.round(a.getRed() * (1 - t) + b.getRed() * t),
              (int) Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
              (int) Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
      if (!clearOfSkin(m)) {
        return false;
      }
    }
    return true;
  }

  private static double[] scaled(Color c, double k) {
    return new double[] {
      Math.min(1, c.getRed() / 255.0 * k),
      Math.min(1, c.getGreen() / 255.0 * k),
      Math.min(1, c.getBlue() / 255.0 * k)
    };
  }

  static Color jitter(Random r, Color c, int amount) {
    return new Color(
        clamp255(c.getRed() + r.nextInt(2 * amount + 1) - amount),
        clamp255(c.getGreen() + r.nextInt(2 * amount + 1) - amount),
        clamp255(c.getBlue() + r.nextInt(2 * amount + 1) - amount));
  }

  private static int clamp255(int v) {
    return Math.max(0, Math.min(255, v));
  }

  static double uniform(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }
}
