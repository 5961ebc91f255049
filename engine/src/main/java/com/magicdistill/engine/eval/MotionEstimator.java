package com.magicdistill.engine.eval;

/**
 * Dense optical flow between two luma planes by block matching with sub-pixel refinement; the small
 * stand-in for VBench's RAFT in {@link DynamicDegree}.
 *
 * <p>For each pixel {@code p}, the displacement {@code d} (integers, {@code |d_x|, |d_y| <=
 * searchRadius}) minimising the sum of squared differences {@code sum_{q in B(p)} (b(q + d) -
 * a(q))^2} over the {@code (2r+1)^2} block around {@code p} (borders replicated) is found; ties go
 * to the smallest displacement, so textureless regions get zero flow. Each axis is then refined by
 * a parabola through the costs at {@code d-1, d, d+1}: {@code delta = (c_- - c_+) / (2 (c_- - 2 c_0
 * + c_+))}, clamped to [-0.5, 0.5]. Where zero displacement wins with a cost within the noise
 * margin there is no refinement: the flow is exactly 0 (identical frames give zero flow).
 */
public final class MotionEstimator {
  /** A non-zero displacement must beat zero displacement by this factor. */
  public static final double ACCEPT = 0.5;

  private static final double[] BOX = {
    1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0
  };

  /** Flow field, {@code dx[i], dy[i]} for pixel {@code i = y * width + x}, in pixels. */
  public record Flow(int height, int width, double[] dx, double[] dy) {
    public double[] magnitudes() {
      double[] m = new double[dx.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = Math.hypot(dx[i], dy[i]);
      }
      return m;
    }
  }

  private final int blockRadius;
  private final int searchRadius;

  /** Block radius 2 (5x5 blocks), search radius 3 px: suits 32x32 frames. */
  public MotionEstimator() {
    this(2, 3);
  }

  public MotionEstimator(int blockRadius, int searchRadius) {
    this.blockRadius = blockRadius;
    this.searchRadius = searchRadius;
  }

  /** Flow that moves plane {@code a} onto plane {@code b} (both h x w). */
  public Flow flow(double[] a, double[] b, int h, int w) {
    double[] absDiff = new double[h * w];
    for (int i = 0; i < absDiff.length; i++) {
      absDiff[i] = Math.abs(b[i] - a[i]);
    }
    java.util.Arrays.sort(absDiff);
    double sigma = 1.4826 * absDiff[absDiff.length / 2];
    int blockSide = 2 * blockRadius + 1;
    double margin = 2.0 * blockSide * blockSide * sigma * sigma;
    int side = 2 * searchRadius + 1;
    double[] dx = new double[h * w];
    double[] dy = new double[h * w];
    double[] cost = new double[side * side];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int best = -1;
        for (int j = 0; j < side; j++) {
          for (int i = 0; i < side; i++) {
            int k = j * side + i;
            cost[k] = ssd(a, b, h, w, x, y, i - searchRadius, j - searchRadius);
            if (best < 0 || better(cost[k], k, cost[best], best, side)) {
              best = k;
            }
          }
        }
        int zero = searchRadius * side + searchRadius;
        if (cost[best] >= ACCEPT * cost[zero] || cost[zero] - cost[best] <= margin) {
          best = zero;
        }
        if (best == zero && cost[zero] <= margin) {
          // Still within noise: the parabola through an asymmetric texture's costs would invent
          // up to 0.5 px of flow on identical frames (a frozen clip then "moves").
          continue;
        }
        int bi = best % side;
        int bj = best / side;
        dx[y * w + x] = bi - searchRadius + refine(cost, side, bi, bj, 1, 0);
        dy[y * w + x] = bj - searchRadius + refine(cost, side, bi, bj, 0, 1);
      }
    }
    return new Flow(h, w, dx, dy);
  }

  private boolean better(double c, int k, double cBest, int best, int side) {
    double tol = 1e-12;
    if (c < cBest - tol) {
      return true;
    }
    return c <= cBest + tol && radius2(k, side) < radius2(best, side);
  }

  private int radius2(int k, int side) {
    int i = k % side - searchRadius;
    int j = k / side - searchRadius;
    return i * i + j * j;
  }

  private double ssd(double[] a, double[] b, int h, int w, int x, int y, int ddx, int ddy) {
    double s = 0;
    for (int v = -blockRadius; v <= blockRadius; v++) {
      int ya = FrameOps.clamp(y + v, h);
      int yb = FrameOps.clamp(y + v + ddy, h);
      for (int u = -blockRadius; u <= blockRadius; u++) {
        double e =
            b[yb * w + FrameOps.clamp(x + u + ddx, w)] - a[ya * w + FrameOps.clamp(x + u, w)];
        s += e * e;
      }
    }
    return s;
  }

  private static double refine(double[] cost, int side, int bi, int bj, int ux, int uy) {
    int i0 = bi - ux;
    int j0 = bj - uy;
    int i1 = bi + ux;
    int j1 = bj + uy;
    if (i0 < 0 || j0 < 0 || i1 >= side || j1 >= side) {
      return 0.0;
    }
    double cm = cost[j0 * side + i0];
    double c0 = cost[bj * side + bi];
    double cp = cost[j1 * side + i1];
    double curvature = cm - 2 * c0 + cp;
    if (curvature <= 1e-12 || curvature <= c0) {
      return 0.0;
    }
    return Math.max(-0.5, Math.min(0.5, (cm - cp) / (2 * curvature)));
  }
}
