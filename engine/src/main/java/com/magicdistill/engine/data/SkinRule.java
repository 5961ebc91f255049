package com.magicdistill.engine.data;

/**
 * The classic fixed-range YCbCr skin classifier (Chai and Ngan, 1999): a pixel is skin when, in
 * 8-bit JPEG/BT.601 YCbCr, {@code 77 <= Cb <= 127} and {@code 133 <= Cr <= 173}. Luma is ignored,
 * so the rule covers light to dark skin under moderate lighting.
 */
final class SkinRule {
  static final double CB_MIN = 77;
  static final double CB_MAX = 127;
  static final double CR_MIN = 133;
  static final double CR_MAX = 173;

  private SkinRule() {}

  /** Cb in [0, 255] for RGB in [0, 1]. */
  static double cb(double r, double g, double b) {
    return 128 + 255 * (-0.168736 * r - 0.331264 * g + 0.5 * b);
  }

  /** Cr in [0, 255] for RGB in [0, 1]. */
  static double cr(double r, double g, double b) {
    return 128 + 255 * (0.5 * r - 0.418688 * g - 0.081312 * b);
  }

  /** True when the RGB colour (each in [0, 1]) is classified as skin. */
  static boolean isSkin(double r, double g, double b) {
    double cb = cb(r, g, b);
    double cr = cr(r, g, b);
    return cb >= CB_MIN && cb <= CB_MAX && cr >= CR_MIN && cr <= CR_MAX;
  }

  /**
   * True when the colour is at least {@code margin} chroma units outside the skin box, so that
   * antialiasing, lighting and noise are unlikely to push it in.
   */
  static boolean clearlyNotSkin(double r, double g, double b, double margin) {
    double cb = cb(r, g, b);
    double cr = cr(r, g, b);
    return cb < CB_MIN - margin
        || cb > CB_MAX + margin
        || cr < CR_MIN - margin
        || cr > CR_MAX + margin;
  }
}
