package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Axis ticks of a narrow range (cos near 1) stay distinct. */
class CurvePlotTest {
  @Test
  void ticksOfANarrowRangeGetEnoughDecimals() {
    assertEquals(2, CurvePlot.tickDecimals(0.24));
    assertEquals(4, CurvePlot.tickDecimals(0.0025));
    String format = "%." + CurvePlot.tickDecimals(0.0025) + "f";
    assertNotEquals(
        String.format(Locale.ROOT, format, 0.9900), String.format(Locale.ROOT, format, 0.9925));
    assertEquals(2, CurvePlot.tickDecimals(0));
  }
}
