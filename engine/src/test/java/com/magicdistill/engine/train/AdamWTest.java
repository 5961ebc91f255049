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

  /**
   * Many parameters of different sizes, weight decay on some of them only (two calls of the fused
   * kernel), five updates: every parameter and moment follows the formula computed in double.
   */
  @Test
  void manyParametersWithAndWithoutDecayFollowTheFormula() {
    float lr = 0.05f;
    float beta1 = 0.9f;
    float beta2 = 0.99f;
    float eps = 1e-8f;
    float wd = 0.1f;
    try (NDManager m = NDManager.newBaseManager();
        NDManager state = NDManager.newBaseManager()) {
      Block mlp =
          new ai.djl.nn.SequentialBlock()
              .add(Linear.builder().setUnits(37).build())
              .add(Linear.builder().setUnits(5).build());
      mlp.initialize(m, DataType.FLOAT32, new Shape(4, 11));
      java.util.Map<String, Parameter> params = ParameterArrays.parameters(mlp);
      AdamW adam = new AdamW(mlp, beta1, beta2, eps, wd, n -> n.endsWith("weight"), state);
      java.util.Map<String, double[][]> ref = new java.util.LinkedHashMap<>(); // p, m, v
      params.forEach(
          (n, p) -> {
            float[] v0 = p.getArray().toFloatArray();
            double[] p0 = new double[v0.length];
            for (int i = 0; i < v0.length; i++) {
              p0[i] = v0[i];
            }
            ref.put(n, new double[][] {p0, new double[v0.length], new double[v0.length]});
          });
      java.util.Random rng = new java.util.Random(7);
      for (int t = 1; t <= 5; t++) {
        try (NDManager sm = m.newSubManager()) {
          float[] x = new float[4 * 11];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
          }
          NDArray in = sm.create(x, new Shape(4, 11));
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = mlp.forward(new ParameterStore(sm, false), new NDList(in), true).head();
            gc.backward(out.square().sum());
          }
          for (java.util.Map.Entry<String, Parameter> e : params.entrySet()) {
            float[] g = ParameterArrays.gradient(sm, e.getValue()).toFloatArray();
            double[][] r = ref.get(e.getKey());
            double decay = e.getKey().endsWith("weight") ? wd : 0;
            for (int i = 0; i < g.length; i++) {
              r[0][i] *= 1 - lr * decay;
              r[1][i] = beta1 * r[1][i] + (1 - beta1) * g[i];
              r[2][i] = beta2 * r[2][i] + (1 - beta2) * (double) g[i] * g[i];
              double mHat = r[1][i] / (1 - Math.pow(beta1, t));
              double vHat = r[2][i] / (1 - Math.pow(beta2, t));
              r[0][i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
          }
          adam.step(lr, sm);
          params.values().forEach(ParameterArrays::zeroGradient);
        }
      }
      for (java.util.Map.Entry<String, Parameter> e : params.entrySet()) {
        double[][] r = ref.get(e.getKey());
        float[] p = e.getValue().getArray().toFloatArray();
        float[] mm = adam.firstMoments().get(e.getKey()).toFloatArray();
        float[] vv = adam.secondMoments().get(e.getKey()).toFloatArray();
        for (int i = 0; i < p.length; i++) {
          assertEquals(r[0][i], p[i], 1e-5 * (1 + Math.abs(r[0][i])), e.getKey() + " p[" + i + "]");
          assertEquals(
              r[1][i], mm[i], 1e-5 * (1 + Math.abs(r[1][i])), e.getKey() + " m[" + i + "]");
          assertEquals(
              r[2][i], vv[i], 1e-5 * (1 + Math.abs(r[2][i])), e.getKey() + " v[" + i + "]");
        }
      }
    }
  }

  /** ema <- decay * ema + (1 - decay) * p over every trainable parameter. */
  @Test
  void emaUpdateIsTheWeightedAverage() {
    try (NDManager m = NDManager.newBaseManager();
        NDManager state = NDManager.newBaseManager()) {
      Block lin = Linear.builder().setUnits(3).build();
      lin.initialize(m, DataType.FLOAT32, new Shape(2, 4));
      java.util.Map<String, Parameter> params = ParameterArrays.parameters(lin);
      Ema ema = new Ema(lin, 0.9f, state);
      java.util.Map<String, float[]> before = new java.util.LinkedHashMap<>();
      params.forEach((n, p) -> before.put(n, p.getArray().toFloatArray()));
      params
          .values()
          .forEach(p -> p.getArray().addi(1f)); // the training step moved every value by 1
      try (NDManager sm = m.newSubManager()) {
        ema.update(sm);
      }
      for (String n : params.keySet()) {
        float[] avg = ema.averages().get(n).toFloatArray();
        float[] old = before.get(n);
        for (int i = 0; i < avg.length; i++) {
          assertEquals(0.9 * old[i] + 0.1 * (old[i] + 1), avg[i], 1e-6, n + "[" + i + "]");
        }
      }
    }
  }
}
