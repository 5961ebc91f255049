package com.magicdistill.engine.data;

/**
 * Quality of rejecting poor clips. Positive = poor clip ({@link Defect#isPoor}), predicted positive
 * = rejected by the filter.
 *
 * @param truePositives poor clips rejected
 * @param falsePositives clean clips rejected
 * @param falseNegatives poor clips kept
 * @param trueNegatives clean clips kept
 */
public record PrecisionRecall(
    int truePositives, int falsePositives, int falseNegatives, int trueNegatives) {

  /** Of all rejected clips, the fraction that really were poor (1 when nothing was rejected). */
  public double precision() {
    int rejected = truePositives + falsePositives;
    return rejected == 0 ? 1.0 : (double) truePositives / rejected;
  }

  /** Of all poor clips, the fraction that was rejected (1 when there were none). */
  public double recall() {
    int poor = truePositives + falseNegatives;
    return poor == 0 ? 1.0 : (double) truePositives / poor;
  }
}
