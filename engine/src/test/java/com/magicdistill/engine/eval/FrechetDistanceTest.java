package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.Clip;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

  private static double[][] gaussian(int n, int d, long seed) {
    Random rnd = new Random(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = rnd.nextGaussian() * (1 + j % 3) + 0.1 * j;
      }
    }
    return x;
  }

  private static double[][] shifted(double[][] x, double[] shift) {
    double[][] y = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i].clone();
      for (int j = 0; j < shift.length; j++) {
        y[i][j] += shift[j];
      }
    }
    return y;
  }

  private static double trace(double[][] x) {
    double[][] s = FrechetDistance.covariance(x, FrechetDistance.mean(x));
    double t = 0;
    for (int i = 0; i < s.length; i++) {
      t += s[i][i];
    }
    return t;
  }

  /** The bootstrap's Cholesky route gives the eigen route's distance, rank-deficient sets too. */
  @Test
  void choleskyRouteMatchesTheEigenRoute() {
    for (int n : new int[] {8, 60}) {
      double[][] a = gaussian(n, 24, 1);
      double[][] b = shifted(gaussian(n, 24, 2), new double[] {0.5, -1, 2});
      double[] muA = FrechetDistance.mean(a);
      double[] muB = FrechetDistance.mean(b);
      double eigen =
          FrechetDistance.fromMoments(
              muA, FrechetDistance.covariance(a, muA), muB, FrechetDistance.covariance(b, muB), 24);
      double cholesky =
          FrechetDistance.fromMomentsByCholesky(
              muA, FrechetDistance.covariance(a, muA), muB, FrechetDistance.covariance(b, muB), 24);
      assertEquals(eigen, cholesky, 1e-6 * eigen, n + " samples");
    }
  }

  @Test
  void setAgainstItselfIsZero() {
    double[][] x = gaussian(300, 12, 1);
    assertTrue(FrechetDistance.of(x, x) < 1e-6 * trace(x));
  }

  @Test
  void realFeaturesAgainstThemselvesAreZeroEvenWithFewerSamplesThanDimensions() {
    List<Clip> clips = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      clips.add(TestClips.movingDisc(i));
    }
    FeatureExtractor fx = new HandcraftedFeaturesV1();
    double[][] frames = FrechetScores.frameFeatures(fx, clips);
    assertTrue(FrechetDistance.of(frames, frames) < 1e-6 * trace(frames));
    double[][] clipsF = FrechetScores.clipFeatures(fx, clips);
    assertTrue(FrechetDistance.of(clipsF, clipsF) < 1e-6 * trace(clipsF));
  }

  @Test
  void pureMeanShiftMatchesClosedFormAndGrowsMonotonically() {
    double[][] x = gaussian(200, 8, 2);
    double[] dir = {1, -2, 0.5, 0, 0, 3, -1, 0.25};
    double previous = -1;
    for (double k : new double[] {0, 0.1, 0.5, 1, 2, 4}) {
      double[] shift = new double[dir.length];
      double norm2 = 0;
      for (int j = 0; j < dir.length; j++) {
        shift[j] = k * dir[j];
        norm2 += shift[j] * shift[j];
      }
      double fd = FrechetDistance.of(x, shifted(x, shift));
      assertEquals(norm2, fd, 1e-6 * (1 + norm2) + 1e-6 * trace(x), "shift " + k);
      assertTrue(fd > previous || k == 0, "monotone in shift");
      previous = fd;
    }
  }

  @Test
  void covarianceDifferenceMatchesOneDimensionalClosedForm() {
    // 1-D: FD = (mu_a - mu_b)^2 + (sigma_a - sigma_b)^2.
    double[][] a = gaussian(400, 1, 3);
    double[][] b = new double[a.length][1];
    for (int i = 0; i < a.length; i++) {
      b[i][0] = 3 * a[i][0];
    }
    double mu = FrechetDistance.mean(a)[0];
    double var = FrechetDistance.covariance(a, new double[] {mu})[0][0];
    double expected = 4 * mu * mu + Math.pow(Math.sqrt(var) - 3 * Math.sqrt(var), 2);
    assertEquals(expected, FrechetDistance.of(a, b), 1e-5 * expected);
  }

  @Test
  void rejectsTooFewSamplesAndMismatchedDimensions() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FrechetDistance.of(new double[][] {{1}}, new double[][] {{1}, {2}}));
    assertThrows(
        IllegalArgumentException.class,
        () -> FrechetDistance.of(gaussian(3, 2, 1), gaussian(3, 3, 1)));
  }

  @Test
  void frameAndClipScoresRankDegradedSetFurtherFromReal() {
    FeatureExtractor fx = new HandcraftedFeaturesV1();
    List<Clip> real = new ArrayList<>();
    List<Clip> good = new ArrayList<>();
    List<Clip> bad = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      real.add(TestClips.movingDisc(i));
      good.add(TestClips.movingDisc(10 + i));
      bad.add(TestClips.noisy(TestClips.flickering(TestClips.movingDisc(10 + i), i), 0.08, i));
    }
    double frameGood = FrechetScores.frame(fx, good, real);
    double frameBad = FrechetScores.frame(fx, bad, real);
    double clipGood = FrechetScores.clip(fx, good, real);
    double clipBad = FrechetScores.clip(fx, bad, real);
    System.out.printf(
        "fd frame good=%.4f bad=%.4f clip good=%.4f bad=%.4f%n",
        frameGood, frameBad, clipGood, clipBad);
    assertTrue(frameGood < frameBad);
    assertTrue(clipGood < clipBad);
  }
}
