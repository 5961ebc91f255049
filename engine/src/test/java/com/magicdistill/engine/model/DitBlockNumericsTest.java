package com.magicdistill.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The block's fused operators (libtorch's layer norm, 1/sqrt(d_head) applied to Q, split instead of
 * indexing) compute the formulas of {@link DitBlock}'s documentation: outputs and input gradients
 * against the formulas written out op by op, to float tolerance.
 */
class DitBlockNumericsTest {
  private static final float TOLERANCE = 2e-5f;

  @Test
  void layerNormIsTheFormulaForwardAndBackward() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      // an offset and a scale far from (0, 1), as residual streams have
      NDArray x =
          m.randomNormal(0f, 3f, new Shape(2, 5, 24), ai.djl.ndarray.types.DataType.FLOAT32);
      x = x.add(m.randomUniform(-4f, 4f, new Shape(2, 5, 1)));
      NDArray w = m.randomNormal(new Shape(2, 5, 24));
      assertClose(
          gradientAndOutput(x, w, DitBlock::layerNorm),
          gradientAndOutput(x, w, DitBlockNumericsTest::layerNormFormula),
          "layer norm");
    }
  }

  @Test
  void blockIsTheFormulaForwardAndBackward() {
    DitConfig cfg = VideoDiTTest.tiny(0);
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      DitBlock block = new DitBlock(cfg, new LoraScale(1f));
      Shape tokens = new Shape(2, cfg.tokens(), cfg.dim());
      Shape cond = new Shape(2, cfg.dim());
      block.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, tokens, cond);
      for (var p : block.getParameters().values()) {
        // adaLN-Zero starts at zero: the block would be the identity and hide any difference
        NDArray a = p.getArray();
        a.addi(m.randomNormal(0f, 0.3f, a.getShape(), a.getDataType()));
      }
      NDArray x = m.randomNormal(tokens);
      NDArray c = m.randomNormal(cond);
      NDArray w = m.randomNormal(tokens);
      ParameterStore ps = new ParameterStore(m, false);
      Function<NDArray, NDArray> fused =
          in -> block.forward(ps, new NDList(in, c), true).singletonOrThrow();
      Function<NDArray, NDArray> formula = in -> blockFormula(block, cfg, in, c);
      assertClose(gradientAndOutput(x, w, fused), gradientAndOutput(x, w, formula), "block");
    }
  }

  /** (x - mean) / sqrt(mean((x - mean)^2) + 1e-6) over the last axis. */
  static NDArray layerNormFormula(NDArray x) {
    NDArray mean = x.mean(new int[] {-1}, true);
    NDArray centred = x.sub(mean);
    NDArray var = centred.square().mean(new int[] {-1}, true);
    return centred.div(Scalars.add(var, 1e-6).sqrt());
  }

  /** The block's documented formula with the N x N scores scaled after Q K^T, op by op. */
  static NDArray blockFormula(DitBlock block, DitConfig cfg, NDArray x, NDArray c) {
    int d = cfg.dim();
    int heads = cfg.heads();
    int hd = d / heads;
    long b = x.getShape().get(0);
    long n = x.getShape().get(1);
    NDList mod = linear(block, "adaln", Scalars.silu(c)).expandDims(1).split(6, 2);
    NDArray h = modulate(layerNormFormula(x), mod.get(0), mod.get(1));
    NDArray qkv = linear(block, "qkv", h).reshape(b, n, 3, heads, hd).transpose(2, 0, 3, 1, 4);
    NDArray q = qkv.get(0);
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);
    NDArray scores = Scalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(hd));
    NDArray attn = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, n, d);
    x = x.add(mod.get(2).mul(linear(block, "proj", attn)));
    h = modulate(layerNormFormula(x), mod.get(3), mod.get(4));
    NDArray mlp = linear(block, "fc2", Activation.gelu(linear(block, "fc1", h)));
    return x.add(mod.get(5).mul(mlp));
  }

  private static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
    return x.mul(Scalars.add(scale, 1.0)).add(shift);
  }

  /** x W^T + b with the named child's parameters. */
  private static NDArray linear(DitBlock block, String child, NDArray x) {
    Block layer =
        block.getChildren().stream()
            .filter(p -> p.getKey().endsWith(child))
            .findFirst()
            .orElseThrow()
            .getValue();
    NDArray w = layer.getParameters().get("weight").getArray();
    NDArray bias = layer.getParameters().get("bias").getArray();
    return x.matMul(w.transpose()).add(bias);
  }

  /** [f(x), d sum(f(x) * w) / dx], flattened. */
  private static float[][] gradientAndOutput(NDArray x0, NDArray w, Function<NDArray, NDArray> f) {
    NDArray x = x0.duplicate();
    x.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray y = f.apply(x);
      gc.backward(y.mul(w).sum());
      return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray()};
    }
  }

  private static void assertClose(float[][] actual, float[][] expected, String what) {
    String[] names = {"output", "input gradient"};
    for (int k = 0; k < 2; k++) {
      double worst = 0;
      double scale = 0;
      for (int i = 0; i < expected[k].length; i++) {
        worst = Math.max(worst, Math.abs(actual[k][i] - expected[k][i]));
        scale = Math.max(scale, Math.abs(expected[k][i]));
      }
      assertTrue(scale > 0.1, what + " " + names[k] + " is trivial (max |value| " + scale + ")");
      assertTrue(
          worst <= TOLERANCE * Math.max(1, scale),
          what + " " + names[k] + ": max abs difference " + worst + " at max |value| " + scale);
    }
  }
}
