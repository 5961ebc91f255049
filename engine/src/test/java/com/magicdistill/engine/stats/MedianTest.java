package com.magicdistill.engine.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianTest {
  @Test
  void oddCountGivesTheMiddleValue() {
    assertEquals(3.0, Median.of(new double[] {5, 1, 3}));
  }

  @Test
  void evenCountGivesTheMeanOfTheTwoMiddleValues() {
    assertEquals(2.5, Median.of(new double[] {4, 1, 3, 2}));
    assertEquals(2.5, Median.of(List.of(4.0, 1.0, 3.0, 2.0)));
  }

  @Test
  void emptyIsNaNAndTheInputIsLeftUnsorted() {
    assertTrue(Double.isNaN(Median.of(new double[0])));
    double[] in = {3, 1, 2};
    Median.of(in);
    assertArrayEquals(new double[] {3, 1, 2}, in);
  }
}
