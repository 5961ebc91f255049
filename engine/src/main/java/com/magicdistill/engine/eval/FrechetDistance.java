package com.magicdistill.engine.eval;

/**
 * Fréchet distance between Gaussians fitted to two sets of feature vectors (the FID/FVD formula):
 *
 * <pre>
 *   FD = ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^{1/2})
 * </pre>
 *
 * <p>Computed stably: {@code Tr (S_a S_b)^{1/2} = sum_i sqrt(lambda_i)} where {@code lambda_i} are
 * the eigenvalues of the symmetric positive semi-definite matrix {@code S_a^{1/2} S_b S_a^{1/2}}
 * (same spectrum as {@code S_a S_b}); {@code S_a^{1/2}} comes from the symmetric eigendecomposition
 * of {@code S_a} ({@link SymmetricEigen}, Householder + implicit QL). Tiny negative eigenvalues
 * from round-off are clamped to 0, as is the final result. Covariances are the unbiased sample
 * covariances (divide by {@code n-1}), each with a ridge {@code eps I} added, {@code eps = RIDGE *
 * max(1e-12, (Tr S_a + Tr S_b) / (2d))}: it keeps the square roots well conditioned when there are
 * fewer samples than dimensions, leaves {@code FD(a,a)} at 0 and moves other distances by {@code
 * O(eps)}.
 */
public final class FrechetDistance {
  /** Relative ridge added to both covariances. */
  public static final double RIDGE = 1e-6;

  private FrechetDistance() {}

  /** Fréchet distance between rows of {@code a} and rows of {@code b} (n x d, each n >= 2). */
  public static double of(double[][] a, double[][] b) {
    if (a.length < 2 || b.length < 2) {
      throw new IllegalArgumentException(
          "need >= 2 samples per set, got " + a.length + " and " + b.length);
    }
    int d = a[0].length;
    if (b[0].length != d) {
      throw new IllegalArgumentException("dimension mismatch: " + d + " vs " + b[0].length);
    }
    double[] muA = mean(a);
    double[] muB = mean(b);
    return fromMoments(muA, covariance(a, muA), muB, covariance(b, muB), d);
  }

  /**
   * FD from means and unbiased covariances (overwritten: the ridge is added in place). {@code
   * ridgeDim} is the dimension used in the ridge formula: {@code d} itself, or the ambient
   * dimension when the rows were projected onto the subspace they span (then the complement, {@code
   * eps I} in both, adds exactly 0).
   */
  static double fromMoments(
      double[] muA, double[][] sa, double[] muB, double[][] sb, int ridgeDim) {
    return fromMoments(muA, sa, muB, sb, ridgeDim, FrechetDistance::traceSqrtProduct);
  }

  /**
   * {@link #fromMoments} with {@code Tr (S_a S_b)^{1/2}} from a Cholesky factor {@code S_a = L L^T}
   * ({@code L^T S_b L} has the spectrum of {@code S_a S_b}) and eigenvalues only: about 8x fewer
   * operations, the same value to round-off. For bootstrap replicates, where it is called a
   * thousand times per figure; the reported values keep {@link #fromMoments}, so committed figures
   * reproduce bit for bit.
   */
  static double fromMomentsByCholesky(
      double[] muA, double[][] sa, double[] muB, double[][] sb, int ridgeDim) {
    return fromMoments(muA, sa, muB, sb, ridgeDim, FrechetDistance::traceSqrtProductByCholesky);
  }

  private interface TraceSqrt {
    double of(double[][] sa, double[][] sb);
  }

  private static double fromMoments(
      double[] muA, double[][] sa, double[] muB, double[][] sb, int ridgeDim, TraceSqrt traceSqrt) {
    int d = muA.length;
    double trA = trace(sa);
    double trB = trace(sb);
    double eps = RIDGE * Math.max(1e-12, (trA + trB) / (2.0 * ridgeDim));
    for (int i = 0; i < d; i++) {
      sa[i][i] += eps;
      sb[i][i] += eps;
    }
    trA += d * eps;
    trB += d * eps;
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      meanTerm += (muA[i] - muB[i]) * (muA[i] - muB[i]);
    }
    return Math.max(0.0, meanTerm + trA + trB - 2.0 * traceSqrt.of(sa, sb));
  }

  /**
   * {@code sum_i sqrt(lambda_i)} over the eigenvalues of {@code S_a^{1/2} S_b S_a^{1/2}}:
   * eigenvalues only, which are bit for bit those of the full decomposition (the vectors'
   * accumulation never feeds back into them).
   */
  private static double traceSqrtProduct(double[][] sa, double[][] sb) {
    double[][] sqrtA = sqrtPsd(sa);
    double[][] m = multiply(multiply(sqrtA, sb), sqrtA);
    return sumSqrt(SymmetricEigen.values(symmetrize(m)));
  }

  /**
   * {@code sum_i sqrt(lambda_i)} over the eigenvalues of {@code L^T S_b L}, {@code S_a = L L^T};
   * falls back to {@link #traceSqrtProduct} when {@code S_a} is not numerically positive definite.
   */
  static double traceSqrtProductByCholesky(double[][] sa, double[][] sb) {
    double[][] l = cholesky(sa);
    if (l == null) {
      return traceSqrtProduct(sa, sb);
    }
    int d = l.length;
    // W = S_b L (L lower triangular: column j of L is zero above row j).
    double[][] w = new double[d][d];
    for (int i = 0; i < d; i++) {
      double[] bi = sb[i];
      double[] wi = w[i];
      for (int k = 0; k < d; k++) {
        double b = bi[k];
        double[] lk = l[k];
        for (int j = 0; j <= k; j++) {
          wi[j] += b * lk[j];
        }
      }
    }
    // C = L^T W, upper triangle; C[i][j] = sum_{k >= i} L[k][i] W[k][j].
    double[][] c = new double[d][d];
    for (int k = 0; k < d; k++) {
      double[] lk = l[k];
      double[] wk = w[k];
      for (int i = 0; i <= k; i++) {
        double lki = lk[i];
        if (lki == 0.0) {
          continue;
        }
        double[] ci = c[i];
        for (int j = i; j < d; j++) {
          ci[j] += lki * wk[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < i; j++) {
        c[i][j] = c[j][i];
      }
    }
    return sumSqrt(SymmetricEigen.values(c));
  }

  /** Lower-triangular {@code L} with {@code s = L L^T}, or null if a pivot is not positive. */
  static double[][] cholesky(double[][] s) {
    int d = s.length;
    double[][] l = new double[d][d];
    for (int j = 0; j < d; j++) {
      double[] lj = l[j];
      double diag = s[j][j];
      for (int k = 0; k < j; k++) {
        diag -= lj[k] * lj[k];
      }
      if (!(diag > 0)) {
        return null;
      }
      double ljj = Math.sqrt(diag);
      lj[j] = ljj;
      for (int i = j + 1; i < d; i++) {
        double[] li = l[i];
        double v = s[i][j];
        for (int k = 0; k < j; k++) {
          v -= li[k] * lj[k];
        }
        li[j] = v / ljj;
      }
    }
    return l;
  }

  private static double sumSqrt(double[] lambda) {
    double sum = 0;
    for (double x : lambda) {
      sum += Math.sqrt(Math.max(0.0, x));
    }
    return sum;
  }

  static double[] mean(double[][] x) {
    double[] mu = new double[x[0].length];
    for (double[] row : x) {
      for (int j = 0; j < mu.length; j++) {
        mu[j] += row[j];
      }
    }
    for (int j = 0; j < mu.length; j++) {
      mu[j] /= x.length;
    }
    return mu;
  }

  /** Unbiased sample covariance {@code S = sum (x - mu)(x - mu)^T / (n - 1)}. */
  static double[][] covariance(double[][] x, double[] mu) {
    int d = mu.length;
    double[][] s = new double[d][d];
    double[] c = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        c[j] = row[j] - mu[j];
      }
      for (int i = 0; i < d; i++) {
        double ci = c[i];
        double[] si = s[i];
        for (int j = i; j < d; j++) {
          si[j] += ci * c[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        s[i][j] /= (x.length - 1);
        s[j][i] = s[i][j];
      }
    }
    return s;
  }

  private static double trace(double[][] s) {
    double t = 0;
    for (int i = 0; i < s.length; i++) {
      t += s[i][i];
    }
    return t;
  }

  private static double[][] symmetrize(double[][] m) {
    int d = m.length;
    double[][] out = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        out[i][j] = 0.5 * (m[i][j] + m[j][i]);
      }
    }
    return out;
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int k = b.length;
    int m = b[0].length;
    double[][] out = new double[n][m];
    for (int i = 0; i < n; i++) {
      double[] oi = out[i];
      for (int p = 0; p < k; p++) {
        double aip = a[i][p];
        if (aip == 0.0) {
          continue;
        }
        double[] bp = b[p];
        for (int j = 0; j < m; j++) {
          oi[j] += aip * bp[j];
        }
      }
    }
    return out;
  }

  /** Symmetric PSD square root {@code V diag(sqrt(max(lambda, 0))) V^T}. */
  static double[][] sqrtPsd(double[][] s) {
    SymmetricEigen.Result eig = SymmetricEigen.of(symmetrize(s));
    double[][] v = eig.vectors();
    double[] lambda = eig.values();
    int d = lambda.length;
    double[][] vs = new double[d][d];
    double[][] vt = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        vs[i][j] = v[i][j] * Math.sqrt(Math.max(0.0, lambda[j]));
        vt[j][i] = v[i][j];
      }
    }
    return multiply(vs, vt);
  }
}
