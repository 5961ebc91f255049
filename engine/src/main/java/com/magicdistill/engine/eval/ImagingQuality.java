package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.Arrays;

/**
 * No-reference imaging quality in [0, 1] (stand-in for VBench's MUSIQ score), from sharpness and
 * noise of the luma plane {@code Y} of each frame:
 *
 * <pre>
 *   M     = median3x3(Y)                                 (denoised frame)
 *   sharp = sqrt(mean (Laplacian M)^2)                   (4-neighbour Laplacian, interior pixels)
 *   noise = 1.4826 * median |Y - M|                      (robust high-frequency residual)
 *   q     = (1 - exp(-sharp / SHARP_SCALE)) * exp(-noise / NOISE_SCALE)
 * </pre>
 *
 * <p>The score is the mean of {@code q} over frames. Blur lowers {@code sharp}; noise raises the
 * median residual (clean content has a near-zero median residual because most pixels survive a 3x3
 * median). Scales were chosen on the synthetic 32x32 clips so that a crisp textured frame scores
 * about 0.8, two 3x3 box blurs bring it to about 0.3, and Gaussian noise of std 0.05 roughly halves
 * it.
 */
public final class ImagingQuality {
  public static final double SHARP_SCALE = 0.03;
  public static final double NOISE_SCALE = 0.03;

  private ImagingQuality() {}

  public static double of(Clip clip) {
    double s = 0;
    for (int t = 0; t < clip.frames(); t++) {
      s += frame(FrameOps.luma(clip, t), clip.shape().height(), clip.shape().width());
    }
    return s / clip.frames();
  }

  static double frame(double[] y, int h, int w) {
    return sharpnessTerm(sharpness(y, h, w)) * noiseTerm(noise(y, h, w));
  }

  static double sharpnessTerm(double sharp) {
    return 1 - Math.exp(-sharp / SHARP_SCALE);
  }

  static double noiseTerm(double noise) {
    return Math.exp(-noise / NOISE_SCALE);
  }

  static double sharpness(double[] y, int h, int w) {
    double[] m = FrameOps.median3x3(y, h, w);
    double s = 0;
    int n = 0;
    for (int r = 1; r < h - 1; r++) {
      for (int c = 1; c < w - 1; c++) {
        int i = r * w + c;
        double lap = m[i - 1] + m[i + 1] + m[i - w] + m[i + w] - 4 * m[i];
        s += lap * lap;
        n++;
      }
    }
    return Math.sqrt(s / n);
  }

  static double noise(double[] y, int h, int w) {
    double[] m = FrameOps.median3x3(y, h, w);
    double[] r = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      r[i] = Math.abs(y[i] - m[i]);
    }
    Arrays.sort(r);
    return 1.4826 * r[r.length / 2];
  }
}
