package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.model.Scalars;
import com.magicdistill.engine.random.StepRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gotcha 1: a loss that multiplies and divides by scalars must still have correct gradients when
 * the JVM collects garbage between forward and backward. Compared with the closed form.
 */
class GradientUnderGcTest {
  static final int N = 4;
  static final int IN = 5;
  static final int OUT = 3;

  @Test
  void gradientsMatchClosedFormWithGcBeforeBackward() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      Block lin = Linear.builder().setUnits(OUT).build();
      lin.initialize(m, DataType.FLOAT32, new Shape(N, IN));
      Map<String, Parameter> params = ParameterArrays.parameters(lin);
      Parameter w = params.get("weight");
      Parameter b = params.get("bias");
      for (int round = 0; round < 4; round++) {
        try (NDManager sm = m.newSubManager()) {
          StepRandom rng = StepRandom.forStep(5, round, 0);
          float[] xs = rng.gaussian(N * IN);
          NDArray x = rng.stream(0).gaussian(sm, new Shape(N, IN));
          float[] wv = w.getArray().toFloatArray();
          float[] bv = b.getArray().toFloatArray();
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray z = lin.forward(new ParameterStore(sm, false), new NDList(x), true).head();
            // y = z * 3 / 2 with native scalars; L = mean(y^2).
            NDArray y = Scalars.mul(z, 3f).div(Scalars.of(sm, 2f));
            NDArray loss = y.square().mean();
            churnGarbage();
            System.gc();
            System.gc();
            gc.backward(loss);
          }
          // Closed form: dL/dW[o,i] = (2 * 2.25 / (N*OUT)) * sum_n z[n,o] x[n,i].
          double k = 2.0 * 2.25 / (N * OUT);
          double[] dw = new double[OUT * IN];
          double[] db = new double[OUT];
          for (int n = 0; n < N; n++) {
            for (int o = 0; o < OUT; o++) {
              double z = bv[o];
              for (int i = 0; i < IN; i++) {
                z += (double) xs[n * IN + i] * wv[o * IN + i];
              }
              db[o] += k * z;
              for (int i = 0; i < IN; i++) {
                dw[o * IN + i] += k * z * xs[n * IN + i];
              }
            }
          }
          float[] gw = ParameterArrays.gradient(sm, w).toFloatArray();
          float[] gb = ParameterArrays.gradient(sm, b).toFloatArray();
          for (int i = 0; i < dw.length; i++) {
            assertEquals(
                dw[i], gw[i], 1e-5 + 1e-4 * Math.abs(dw[i]), "dW[" + i + "] round " + round);
          }
          for (int o = 0; o < OUT; o++) {
            assertEquals(
                db[o], gb[o], 1e-5 + 1e-4 * Math.abs(db[o]), "db[" + o + "] round " + round);
          }
          ParameterArrays.zeroGradient(w);
          ParameterArrays.zeroGradient(b);
          assertEquals(0f, ParameterArrays.gradient(sm, w).abs().sum().getFloat());
        }
      }
    }
  }

  private static void churnGarbage() {
    long sum = 0;
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[64 * 1024];
      junk[i] = (byte) i;
      sum += junk[i];
    }
    if (sum == Long.MIN_VALUE) {
      throw new AssertionError();
    }
  }
}
