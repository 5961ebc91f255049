package com.magicdistill.engine.stats;

import java.util.Arrays;
import java.util.Collection;

/** The median: the middle value, or the mean of the two middle values of an even count. */
public final class Median {
  private Median() {}

  /** The median of {@code values} (left unchanged), NaN if there are none. */
  public static double of(double[] values) {
    int n = values.length;
    if (n == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  /** The median of {@code values}, NaN if there are none. */
  public static double of(Collection<? extends Number> values) {
    return of(values.stream().mapToDouble(Number::doubleValue).toArray());
  }
}
