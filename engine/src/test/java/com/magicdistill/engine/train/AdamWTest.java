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
import org.junit.jupiter.api.Test;

class AdamWTest {

  /** Sets grad(w) = c by back-propagating sum(w . c) for a 1-unit bias-free Linear on input c. */
  private static void backwardWithGradient(Block lin, NDManager sm, float[] c) {
    NDArray x = sm.create(c, new Shape(1, c.length)).duplicate();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray out = lin.forward(new ParameterStore(sm, false), new NDList(x), true).head();
      gc.backward(out.sum());
    }
  }

  @Test
  void twoStepsMatchHandComputedValues() {
    float lr = 0.1f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float eps = 1e-8f;
    float wd = 0.01f;
    float[] p0 = {1.0f, -2.0f, 0.5f};
    float[][] grads = {{0.5f, -1.0f, 2.0f}, {-0.25f, 0.1f, 1.0f}};
    try (NDManager m = NDManager.newBaseManager();
        NDManager state = NDManager.newBaseManager()) {
      Block lin = Linear.builder().setUnits(1).optBias(false).build();
      lin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
      Parameter w = ParameterArrays.parameters(lin).get("weight");
      ParameterArrays.copyInto(w.getArray(), m.create(p0, new Shape(1, 3)));
      AdamW adam = new AdamW(lin, beta1, beta2, eps, wd, n -> true, state);

      // Step 1 by hand: m = 0.1 g, v = 0.001 g^2, m_hat = g, v_hat = g^2, so the update is
      // lr * g / (|g| + eps) ~= lr * sign(g); p = p (1 - lr wd) - that.
      try (NDManager sm = m.newSubManager()) {
        backwardWithGradient(lin, sm, grads[0]);
        adam.step(lr, sm);
        ParameterArrays.zeroGradient(w);
      }
      float[] after1 = w.getArray().toFloatArray();
      assertEquals(0.899f, after1[0], 1e-6f);
      assertEquals(-1.998f + 0.1f, after1[1], 1e-6f);
      assertEquals(0.49950f - 0.1f, after1[2], 1e-6f);

      try (NDManager sm = m.newSubManager()) {
        backwardWithGradient(lin, sm, grads[1]);
        adam.step(lr, sm);
        ParameterArrays.zeroGradient(w);
      }
      assertEquals(2, adam.updateCount());

      // Reference in double precision, torch.optim.AdamW formula.
      double[] p = {p0[0], p0[1], p0[2]};
      double[] mm = new double[3];
      double[] vv = new double[3];
      for (int t = 1; t <= 2; t++) {
        for (int i = 0; i < 3; i++) {
          double g = grads[t - 1][i];
          p[i] *= 1 - lr * wd;
          mm[i] = beta1 * mm[i] + (1 - beta1) * g;
          vv[i] = beta2 * vv[i] + (1 - beta2) * g * g;
          double mHat = mm[i] / (1 - Math.pow(beta1, t));
          double vHat = vv[i] / (1 - Math.pow(beta2, t));
          p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
      }
      float[] after2 = w.getArray().toFloatArray();
      float[] m2 = adam.firstMoments().get("weight").toFloatArray();
      float[] v2 = adam.secondMoments().get("weight").toFloatArray();
      for (int i = 0; i < 3; i++) {
        assertEquals(p[i], after2[i], 2e-6, "p[" + i + "]");
        assertEquals(mm[i], m2[i], 1e-7, "m[" + i + "]");
        assertEquals(vv[i], v2[i], 1e-9, "v[" + i + "]");
      }
    }
  }

  @Test
  void clipGlobalNormScalesToMaxNormAndReturnsPreClipNorm() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block lin = Linear.builder().setUnits(1).optBias(false).build();
      lin.initialize(m, DataType.FLOAT32, new Shape(1, 2));
      Parameter w = ParameterArrays.parameters(lin).get("weight");
      try (NDManager sm = m.newSubManager()) {
        backwardWithGradient(lin, sm, new float[] {3f, 4f});
        float norm = GradientClipping.clipGlobalNorm(java.util.List.of(w), 1f);
        assertEquals(5f, norm, 1e-6f);
        float[] g = ParameterArrays.gradient(sm, w).toFloatArray();
        assertEquals(0.6f, g[0], 1e-5f);
        assertEquals(0.8f, g[1], 1e-5f);
        assertEquals(1f, GradientClipping.clipGlobalNorm(java.util.List.of(w), 0f), 1e-5f);
      }
    }
  }
}
