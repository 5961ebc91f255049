package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.ArrayList;
import java.util.List;

/**
 * Fréchet distances with bootstrap intervals over clips: clips are resampled with replacement (a
 * clip's frames stay together for the frame-level FD) and FD is recomputed on each draw. The value
 * is {@link FrechetScores}'s FD on all clips.
 *
 * <p>Each draw reuses per-clip moments: rows are centred on the mean of all rows and, when there
 * are fewer rows than dimensions (clip FD: 2 x 64 clips vs 391 features), projected onto an
 * orthonormal basis of the subspace they span. FD is unchanged by both (the ridge uses the full
 * dimension, see {@link FrechetDistance#fromMoments}), and a draw costs a Cholesky factor and the
 * eigenvalues of at most {@code rows - 1} instead of {@code d} dimensions.
 */
public final class FrechetIntervals {
  private FrechetIntervals() {}

  /** Frame-level FD (every frame a sample) with its interval. */
  public static Interval frame(
      FeatureExtractor extractor, List<Clip> generated, List<Clip> real, Bootstrap bootstrap) {
    return of(frameRows(extractor, generated), frameRows(extractor, real), bootstrap);
  }

  /** Clip-level FD (one sample per clip) with its interval. */
  public static Interval clip(
      FeatureExtractor extractor, List<Clip> generated, List<Clip> real, Bootstrap bootstrap) {
    return of(clipRows(extractor, generated), clipRows(extractor, real), bootstrap);
  }

  /**
   * {@code FD_clip(a, real) - FD_clip(b, real)} with its interval, both distances recomputed on the
   * same draws of clip indices (all three sets paired by first frame, equal sizes). The
   * finite-sample bias that shifts each FD's replicates upwards largely cancels in the difference:
   * an interval that excludes 0 says method {@code b} is closer to the real clips than {@code a}
   * (positive) or farther (negative).
   */
  public static Interval clipDifference(
      FeatureExtractor extractor,
      List<Clip> a,
      List<Clip> b,
      List<Clip> real,
      Bootstrap bootstrap) {
    if (a.size() != real.size() || b.size() != real.size()) {
      throw new IllegalArgumentException(
          "paired sets needed, got " + a.size() + ", " + b.size() + " and " + real.size());
    }
    double[][][] ra = clipRows(extractor, a);
    double[][][] rb = clipRows(extractor, b);
    double[][][] rr = clipRows(extractor, real);
    double point =
        FrechetDistance.of(flatten(ra), flatten(rr)) - FrechetDistance.of(flatten(rb), flatten(rr));
    Resampler sa = new Resampler(ra, rr);
    Resampler sb = new Resampler(rb, rr);
    Interval iv = bootstrap.interval(real.size(), idx -> sa.fd(idx, idx) - sb.fd(idx, idx));
    return new Interval(point, iv.lo(), iv.hi());
  }

  /**
   * FD between the rows of {@code a} and {@code b} with its interval; {@code a[i]} holds the
   * feature rows of clip {@code i} (see {@link Bootstrap#twoSample} for pairing).
   */
  static Interval of(double[][][] a, double[][][] b, Bootstrap bootstrap) {
    double point = FrechetDistance.of(flatten(a), flatten(b));
    Interval iv = bootstrap.twoSample(a.length, b.length, new Resampler(a, b)::fd);
    return new Interval(point, iv.lo(), iv.hi());
  }

  /** FD of resampled clip sets from precomputed per-clip moments. */
  static final class Resampler {
    private final int d;
    private final Moments ma;
    private final Moments mb;

    Resampler(double[][][] a, double[][][] b) {
      d = a[0][0].length;
      double[][] basis = spanBasis(a, b, d);
      ma = Moments.of(a, basis);
      mb = Moments.of(b, basis);
    }

    /** FD between clips {@code ia} of the first set and {@code ib} of the second. */
    double fd(int[] ia, int[] ib) {
      Moments.Drawn x = ma.draw(ia);
      Moments.Drawn y = mb.draw(ib);
      return FrechetDistance.fromMomentsByCholesky(x.mean(), x.cov(), y.mean(), y.cov(), d);
    }
  }

  /**
   * Centring vector followed by an orthonormal basis (rows) of the span of the centred rows, or
   * just the centring vector when the rows may span all {@code d} dimensions.
   */
  private static double[][] spanBasis(double[][][] a, double[][][] b, int d) {
    double[][] rows = concat(flatten(a), flatten(b));
    double[] centre = FrechetDistance.mean(rows);
    List<double[]> basis = new ArrayList<>();
    basis.add(centre);
    if (rows.length - 1 >= d) {
      return basis.toArray(new double[0][]);
    }
    double maxNorm = 0;
    for (double[] r : rows) {
      maxNorm = Math.max(maxNorm, norm(minus(r, centre)));
    }
    // Modified Gram-Schmidt, twice per vector for orthogonality; drops directions already spanned.
    for (double[] r : rows) {
      double[] v = minus(r, centre);
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 1; k < basis.size(); k++) {
          double[] q = basis.get(k);
          double dot = dot(q, v);
          for (int j = 0; j < d; j++) {
            v[j] -= dot * q[j];
          }
        }
      }
      double n = norm(v);
      if (n > 1e-10 * maxNorm && n > 0) {
        for (int j = 0; j < d; j++) {
          v[j] /= n;
        }
        basis.add(v);
      }
    }
    return basis.toArray(new double[0][]);
  }

  /** Per clip: row count, sum and scatter {@code sum z z^T} of the centred (projected) rows. */
  private record Moments(int[] counts, double[][] sums, double[][][] scatters) {
    record Drawn(double[] mean, double[][] cov) {}

    static Moments of(double[][][] clips, double[][] basis) {
      int n = clips.length;
      int[] counts = new int[n];
      double[][] sums = new double[n][];
      double[][][] scatters = new double[n][][];
      for (int c = 0; c < n; c++) {
        double[][] z = new double[clips[c].length][];
        for (int r = 0; r < z.length; r++) {
          z[r] = coordinates(clips[c][r], basis);
        }
        int m = z[0].length;
        counts[c] = z.length;
        sums[c] = new double[m];
        scatters[c] = new double[m][m];
        for (double[] row : z) {
          for (int i = 0; i < m; i++) {
            sums[c][i] += row[i];
            for (int j = i; j < m; j++) {
              scatters[c][i][j] += row[i] * row[j];
            }
          }
        }
      }
      return new Moments(counts, sums, scatters);
    }

    /** Mean and unbiased covariance of the rows of clips {@code idx} (repeats counted). */
    Drawn draw(int[] idx) {
      int m = sums[0].length;
      double[] mean = new double[m];
      double[][] cov = new double[m][m];
      long total = 0;
      for (int c : idx) {
        total += counts[c];
        double[] s = sums[c];
        double[][] q = scatters[c];
        for (int i = 0; i < m; i++) {
          mean[i] += s[i];
          double[] qi = q[i];
          double[] ci = cov[i];
          for (int j = i; j < m; j++) {
            ci[j] += qi[j];
          }
        }
      }
      for (int i = 0; i < m; i++) {
        mean[i] /= total;
      }
      for (int i = 0; i < m; i++) {
        for (int j = i; j < m; j++) {
          cov[i][j] = (cov[i][j] - total * mean[i] * mean[j]) / (total - 1);
          cov[j][i] = cov[i][j];
        }
      }
      return new Drawn(mean, cov);
    }
  }

  /** {@code row - basis[0]}, projected on {@code basis[1..]} when there is a basis. */
  private static double[] coordinates(double[] row, double[][] basis) {
    double[] v = minus(row, basis[0]);
    if (basis.length == 1) {
      return v;
    }
    double[] z = new double[basis.length - 1];
    for (int k = 1; k < basis.length; k++) {
      z[k - 1] = dot(basis[k], v);
    }
    return z;
  }

  private static double[][][] frameRows(FeatureExtractor extractor, List<Clip> clips) {
    double[][][] out = new double[clips.size()][][];
    for (int i = 0; i < out.length; i++) {
      out[i] = FrechetScores.frameFeatures(extractor, List.of(clips.get(i)));
    }
    return out;
  }

  private static double[][][] clipRows(FeatureExtractor extractor, List<Clip> clips) {
    double[][] rows = FrechetScores.clipFeatures(extractor, clips);
    double[][][] out = new double[rows.length][][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new double[][] {rows[i]};
    }
    return out;
  }

  private static double[][] flatten(double[][][] clips) {
    List<double[]> rows = new ArrayList<>();
    for (double[][] c : clips) {
      rows.addAll(List.of(c));
    }
    return rows.toArray(new double[0][]);
  }

  private static double[][] concat(double[][] a, double[][] b) {
    double[][] out = new double[a.length + b.length][];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double[] minus(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }
}
