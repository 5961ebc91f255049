package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.Clip;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetIntervalsTest {
  private final FeatureExtractor fx = new HandcraftedFeaturesV1();
  private final List<Clip> real = PortraitClips.HELD_OUT_16;
  private final List<Clip> noisy = Anchors.noisy(real, 5);

  @Test
  void resampledDistanceMatchesTheDirectFormula() {
    // Clip level: 32 rows in 391 dimensions, so the resampler works in the spanned subspace.
    double[][] a = FrechetScores.clipFeatures(fx, noisy);
    double[][] b = FrechetScores.clipFeatures(fx, real);
    FrechetIntervals.Resampler r = new FrechetIntervals.Resampler(perClip(a), perClip(b));
    Random rnd = new Random(9);
    for (int trial = 0; trial < 3; trial++) {
      int[] ia = draw(rnd, a.length);
      int[] ib = draw(rnd, b.length);
      double direct = FrechetDistance.of(pick(a, ia), pick(b, ib));
      assertEquals(direct, r.fd(ia, ib), 1e-7 * direct, "trial " + trial);
    }
  }

  @Test
  void resampledFrameDistanceKeepsEachClipsFramesTogether() {
    List<double[][]> a = new ArrayList<>();
    List<double[][]> b = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      a.add(FrechetScores.frameFeatures(fx, List.of(noisy.get(i))));
      b.add(FrechetScores.frameFeatures(fx, List.of(real.get(i))));
    }
    FrechetIntervals.Resampler r =
        new FrechetIntervals.Resampler(a.toArray(new double[0][][]), b.toArray(new double[0][][]));
    int[] ia = {2, 2, 0, 3};
    int[] ib = {1, 3, 3, 0};
    List<double[]> ra = new ArrayList<>();
    List<double[]> rb = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      ra.addAll(List.of(a.get(ia[k])));
      rb.addAll(List.of(b.get(ib[k])));
    }
    double direct = FrechetDistance.of(ra.toArray(new double[0][]), rb.toArray(new double[0][]));
    assertEquals(direct, r.fd(ia, ib), 1e-7 * direct);
  }

  @Test
  void valueIsTheUsualDistanceAndIntervalIsDeterministic() {
    Bootstrap b = new Bootstrap(200, 1);
    Interval clip = FrechetIntervals.clip(fx, noisy, real, b);
    System.out.println("fd_clip noisy anchor " + clip);
    assertEquals(FrechetScores.clip(fx, noisy, real), clip.value(), 0.0);
    assertEquals(clip, FrechetIntervals.clip(fx, noisy, real, b));
    assertTrue(clip.lo() < clip.value() && clip.value() < clip.hi(), clip.toString());
    Interval frame = FrechetIntervals.frame(fx, noisy.subList(0, 4), real.subList(0, 4), b);
    assertEquals(
        FrechetScores.frame(fx, noisy.subList(0, 4), real.subList(0, 4)), frame.value(), 0.0);
    assertTrue(frame.lo() > 0 && frame.hi() > frame.lo(), frame.toString());
  }

  @Test
  void pairedDifferenceSeparatesAFrozenAnchorFromANoisyOne() {
    Bootstrap b = new Bootstrap(200, 1);
    List<Clip> frozen = Anchors.firstFrameRepeated(real);
    Interval d = FrechetIntervals.clipDifference(fx, frozen, noisy, real, b);
    System.out.println("fd_clip frozen - noisy " + d);
    assertEquals(
        FrechetScores.clip(fx, frozen, real) - FrechetScores.clip(fx, noisy, real),
        d.value(),
        1e-12);
    assertTrue(d.lo() > 0 && d.lo() < d.value() && d.value() < d.hi(), d.toString());
    Interval same = FrechetIntervals.clipDifference(fx, noisy, noisy, real, b);
    assertEquals(new Interval(0, 0, 0), same);
  }

  private static double[][][] perClip(double[][] rows) {
    double[][][] out = new double[rows.length][][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new double[][] {rows[i]};
    }
    return out;
  }

  private static int[] draw(Random rnd, int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = rnd.nextInt(n);
    }
    return idx;
  }

  private static double[][] pick(double[][] rows, int[] idx) {
    List<double[]> out = new ArrayList<>();
    for (int i : idx) {
      out.add(rows[i]);
    }
    return out.toArray(new double[0][]);
  }
}
