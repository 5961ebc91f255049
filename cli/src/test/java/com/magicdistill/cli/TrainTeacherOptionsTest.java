package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.train.TimestepSampling;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code train teacher --train-shift / --train-sigma-mean}: each overrides only its own part of the
 * preset's noise levels, and a bad value is refused naming the flag; {@code --prediction} and
 * {@code --patch-skip} choose a new model, not a --base checkpoint's.
 */
class TrainTeacherOptionsTest {
  private static final TimestepSampling PAPER_V2 = EnginePreset.paperV2().trainSampling();

  @Test
  void eachFlagOverridesOnlyItsOwnPart() {
    assertEquals(PAPER_V2, parse().sampling(PAPER_V2));
    assertEquals(
        new TimestepSampling(1.0, PAPER_V2.trainSigmaMean(), PAPER_V2.firstFrameDropout()),
        parse("--train-shift", "1").sampling(PAPER_V2));
    assertEquals(
        new TimestepSampling(PAPER_V2.trainShift(), -0.5, PAPER_V2.firstFrameDropout()),
        parse("--train-sigma-mean", "-0.5").sampling(PAPER_V2));
  }

  @Test
  void badValuesNameTheFlag() {
    assertRefused(
        "--train-shift must be in (0, 20] (got 0.0): 1 for none, 3 for more weight on high noise",
        "--train-shift",
        "0");
    assertRefused(
        "--train-sigma-mean must be in [-3, 3] (got 4.0): 0 for logit-normal(0, 1), 0.5-1 for"
            + " more weight on high noise",
        "--train-sigma-mean",
        "4");
  }

  @Test
  void theModelOptionsAreRefusedWithABaseAndAnUnknownPredictionNamesTheFlag() {
    assertRefused("--prediction takes velocity or x0, not 'eps'", "--prediction", "eps");
    assertRefused(
        "--prediction and --patch-skip choose the model of a new base; with --base the model is"
            + " the base checkpoint's: drop them, or drop --base to train the base too",
        "--patch-skip",
        "--base",
        "b");
  }

  private static TrainCommand.Teacher parse(String... options) {
    var teacher = new TrainCommand.Teacher();
    new CommandLine(teacher)
        .parseArgs(
            Stream.concat(Stream.of("--data", "data", "--out", "out"), Stream.of(options))
                .toArray(String[]::new));
    return teacher;
  }

  private static void assertRefused(String message, String... options) {
    Refusals.assertRefused(
        message,
        new String[] {"train", "teacher", "--preset=tiny", "--data=nope", "--out=x"},
        options);
  }
}
