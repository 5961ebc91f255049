package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.List;

/**
 * Paired motion ratio (docs/EVALUATION.md#motion_ratio): how much a method's clips move relative to
 * the real clips with the same first frames.
 *
 * <p>Motion energy of a clip: {@code E = mean_{t>=1} top5%mean |flow(x_{t-1} -> x_t)|} in px per
 * frame, the per-pair score of {@link DynamicDegree} averaged instead of thresholded. Ratio over
 * {@code n} pairs (generated {@code g_i}, real {@code r_i}): {@code sum_i E(g_i) / sum_i E(r_i)}
 * (ratio of means), so real against itself is exactly 1 and a frozen clip 0.
 */
public final class PairedMotion {
  private final DynamicDegree pairScorer;

  public PairedMotion() {
    this(new DynamicDegree());
  }

  public PairedMotion(DynamicDegree pairScorer) {
    this.pairScorer = pairScorer;
  }

  /** Motion energy of one clip, in px per frame. */
  public double energy(Clip clip) {
    double s = 0;
    double[] pairs = pairScorer.pairScores(clip);
    for (double p : pairs) {
      s += p;
    }
    return s / pairs.length;
  }

  /** Motion energy of each clip. */
  public double[] energies(List<Clip> clips) {
    double[] e = new double[clips.size()];
    for (int i = 0; i < e.length; i++) {
      e[i] = energy(clips.get(i));
    }
    return e;
  }

  /** {@code sum E(generated) / sum E(real)}; clip {@code i} of each list shares a first frame. */
  public double ratio(List<Clip> generated, List<Clip> real) {
    double[] g = energies(generated);
    double[] r = energies(checkPaired(generated, real));
    double a = 0;
    double b = 0;
    for (int i = 0; i < g.length; i++) {
      a += g[i];
      b += r[i];
    }
    return a / b;
  }

  /** The ratio with its bootstrap interval, clip pairs resampled together. */
  public Interval ratio(List<Clip> generated, List<Clip> real, Bootstrap bootstrap) {
    return bootstrap.ratioOfMeans(energies(generated), energies(checkPaired(generated, real)));
  }

  private static List<Clip> checkPaired(List<Clip> generated, List<Clip> real) {
    if (generated.isEmpty() || generated.size() != real.size()) {
      throw new IllegalArgumentException(
          "motion ratio needs paired clips, got " + generated.size() + " and " + real.size());
    }
    return real;
  }
}
