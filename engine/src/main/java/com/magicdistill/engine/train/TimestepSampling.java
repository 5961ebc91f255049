package com.magicdistill.engine.train;

import com.magicdistill.engine.ConfigException;

/**
 * How the teacher's flow-matching loss draws its noise levels and conditioning
 * (docs/ALGORITHM.md#flow-matching-loss): {@code sigma = shift(sigmoid(u), trainShift)} with {@code
 * u ~ N(trainSigmaMean, 1)}, and the conditioning frame replaced by zeros (mid grey) with
 * probability {@code firstFrameDropout}, so that a real score can use guidance later (issue 11). A
 * positive mean or a shift above 1 puts more weight on high noise, where motion is decided.
 *
 * @param trainShift timestep shift applied to the logit-normal sigmas (1 = none)
 * @param trainSigmaMean mean of the logit-normal's normal (0 = the usual logit-normal(0, 1))
 * @param firstFrameDropout probability of training a sample without its first frame
 */
public record TimestepSampling(double trainShift, double trainSigmaMean, double firstFrameDropout) {
  /** Logit-normal(0, 1), no shift, no dropout: what the teacher trained with before issue 11. */
  public static final TimestepSampling DEFAULT = new TimestepSampling(1.0, 0.0, 0.0);

  public TimestepSampling {
    ConfigException.require(
        trainShift > 0 && trainShift <= 20,
        "trainShift",
        "be in (0, 20]",
        trainShift,
        "1 for none, 3 for more weight on high noise");
    ConfigException.require(
        trainSigmaMean >= -3 && trainSigmaMean <= 3,
        "trainSigmaMean",
        "be in [-3, 3]",
        trainSigmaMean,
        "0 for logit-normal(0, 1), 0.5-1 for more weight on high noise");
    ConfigException.require(
        firstFrameDropout >= 0 && firstFrameDropout < 1,
        "firstFrameDropout",
        "be in [0, 1)",
        firstFrameDropout,
        "0 for none, 0.1 to allow guidance");
  }

  /** Only a shift (the pre-issue-11 setting). */
  public static TimestepSampling shifted(double trainShift) {
    return new TimestepSampling(trainShift, 0.0, 0.0);
  }

  /** The noise level of a standard normal draw {@code u}. */
  public double sigma(double u) {
    return com.magicdistill.engine.model.RectifiedFlow.shift(
        1.0 / (1.0 + Math.exp(-(u + trainSigmaMean))), trainShift);
  }
}
