package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {
  private static double[] values(int n, long seed) {
    Random rnd = new Random(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 1 + 0.3 * rnd.nextGaussian();
    }
    return x;
  }

  @Test
  void intervalContainsTheEstimateAndNarrowsWithMoreClips() {
    Bootstrap b = new Bootstrap();
    Interval few = b.mean(values(20, 1));
    Interval many = b.mean(values(320, 1));
    System.out.println("bootstrap mean n=20 " + few + " n=320 " + many);
    for (Interval iv : new Interval[] {few, many}) {
      assertTrue(iv.lo() < iv.value() && iv.value() < iv.hi(), iv.toString());
    }
    // Width shrinks like 1/sqrt(n): 16x the clips, about a quarter of the width.
    assertTrue(many.width() < 0.4 * few.width(), few + " vs " + many);
    // About 2 * 1.96 * 0.3 / sqrt(320) = 0.066.
    assertEquals(0.066, many.width(), 0.015);
  }

  @Test
  void deterministicForASeed() {
    double[] x = values(40, 2);
    assertEquals(new Bootstrap(1000, 5).mean(x), new Bootstrap(1000, 5).mean(x));
    assertNotEquals(new Bootstrap(1000, 5).mean(x).lo(), new Bootstrap(1000, 6).mean(x).lo());
  }

  @Test
  void ratioOfMeansResamplesPairsTogether() {
    double[] den = values(30, 3);
    double[] num = new double[den.length];
    double sumNum = 0;
    double sumDen = 0;
    for (int i = 0; i < den.length; i++) {
      num[i] = 0.5 * den[i];
      sumNum += num[i];
      sumDen += den[i];
    }
    Interval iv = new Bootstrap().ratioOfMeans(num, den);
    assertEquals(sumNum / sumDen, iv.value(), 1e-15);
    // Exactly proportional pairs: every resample gives 0.5.
    assertEquals(0.5, iv.lo(), 1e-12);
    assertEquals(0.5, iv.hi(), 1e-12);
  }

  @Test
  void percentileInterpolatesBetweenOrderStatistics() {
    double[] sorted = {0, 1, 2, 3, 4};
    assertEquals(0.1, Bootstrap.percentile(sorted, 0.025), 1e-12);
    assertEquals(3.9, Bootstrap.percentile(sorted, 0.975), 1e-12);
  }

  @Test
  void withOneSeedTheSeedAndClipIntervalIsTheClipInterval() {
    double[] x = values(40, 3);
    Bootstrap b = new Bootstrap(500, 9);
    Interval clips = b.mean(x);
    Interval pooled =
        b.overSeedsAndClips(
            1,
            x.length,
            (k, idx) -> {
              double s = 0;
              for (int i : idx) {
                s += x[i];
              }
              return s / idx.length;
            });
    assertEquals(clips, pooled);
  }

  @Test
  void theSeedAndClipIntervalHoldsTheSpreadBetweenSeeds() {
    // Three seeds whose clips are identical within a seed: all the spread is between seeds.
    double[] level = {0.5, 1.0, 1.5};
    Bootstrap b = new Bootstrap();
    Interval iv = b.overSeedsAndClips(3, 30, (k, idx) -> level[k]);
    assertEquals(1.0, iv.value(), 1e-12);
    // A draw of three times the lowest (or highest) seed has probability 1/27 > 2.5%.
    assertEquals(0.5, iv.lo(), 1e-12, iv.toString());
    assertEquals(1.5, iv.hi(), 1e-12, iv.toString());
    // Over two seeds only, the third seed's level is out of reach.
    Interval two = b.overSeedsAndClips(2, 30, (k, idx) -> level[k]);
    assertEquals(0.75, two.value(), 1e-12);
    assertTrue(two.hi() <= 1.0, two.toString());
  }
}
