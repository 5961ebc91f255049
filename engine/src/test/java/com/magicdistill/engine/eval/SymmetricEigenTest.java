package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void reconstructsRankDeficientSymmetricMatrix() {
    Random rnd = new Random(5);
    int n = 40;
    int rank = 7;
    double[][] b = new double[n][rank];
    for (double[] row : b) {
      for (int j = 0; j < rank; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < rank; k++) {
          a[i][j] += b[i][k] * b[j][k];
        }
      }
    }
    SymmetricEigen.Result r = SymmetricEigen.of(a);
    double trace = 0;
    double sum = 0;
    int positive = 0;
    for (int i = 0; i < n; i++) {
      trace += a[i][i];
      sum += r.values()[i];
      positive += r.values()[i] > 1e-8 ? 1 : 0;
    }
    assertEquals(trace, sum, 1e-9 * trace);
    assertEquals(rank, positive);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double x = 0;
        for (int k = 0; k < n; k++) {
          x += r.vectors()[i][k] * r.values()[k] * r.vectors()[j][k];
        }
        assertEquals(a[i][j], x, 1e-9 * trace);
      }
    }
  }

  /**
   * Bit for bit, in the same order: FrechetDistance's reported values take the eigenvalues alone
   * and must not move a committed figure.
   */
  @Test
  void valuesOnlyMatchTheFullDecompositionsValues() {
    Random rnd = new Random(9);
    int n = 30;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        a[i][j] = a[j][i] = rnd.nextGaussian();
      }
    }
    double[] full = SymmetricEigen.of(a).values();
    double[] values = SymmetricEigen.values(a);
    for (int i = 0; i < n; i++) {
      assertEquals(full[i], values[i], 0.0, "eigenvalue " + i);
    }
  }
}
