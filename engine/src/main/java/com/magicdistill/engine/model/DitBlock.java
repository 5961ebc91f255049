package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * One DiT block with adaLN-Zero conditioning (Peebles and Xie 2023) and full spatio-temporal
 * self-attention over all (frame, row, column) tokens, as in HunyuanVideo's single-stream blocks:
 *
 * <pre>
 *   (shift1, scale1, gate1, shift2, scale2, gate2) = Linear(SiLU(c))
 *   x = x + gate1 * Attn(LN(x) * (1 + scale1) + shift1)
 *   x = x + gate2 * MLP (LN(x) * (1 + scale2) + shift2)
 * </pre>
 *
 * Inputs: tokens (B, N, D) and conditioning c (B, D). The modulation linear starts at zero, so the
 * block is the identity at initialisation.
 */
final class DitBlock extends AbstractBlock {
  static final float LAYER_NORM_EPS = 1e-6f;

  private final int dim;
  private final int heads;
  private final LoraLinear adaLn;
  private final LoraLinear qkv;
  private final LoraLinear proj;
  private final LoraLinear fc1;
  private final LoraLinear fc2;

  DitBlock(DitConfig cfg, LoraScale scale) {
    this.dim = cfg.dim();
    this.heads = cfg.heads();
    float a = cfg.loraAlpha();
    adaLn =
        addChildBlock("adaln", new LoraLinear(dim, 6 * dim, cfg.rankFor("adaln"), a, scale, true));
    qkv = addChildBlock("qkv", new LoraLinear(dim, 3 * dim, cfg.rankFor("qkv"), a, scale, false));
    proj = addChildBlock("proj", new LoraLinear(dim, dim, cfg.rankFor("proj"), a, scale, false));
    int hidden = cfg.mlpRatio() * dim;
    fc1 = addChildBlock("fc1", new LoraLinear(dim, hidden, cfg.rankFor("fc1"), a, scale, false));
    fc2 = addChildBlock("fc2", new LoraLinear(hidden, dim, cfg.rankFor("fc2"), a, scale, false));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray c = inputs.get(1);
    NDList mod = linear(ps, adaLn, Scalars.silu(c), training).expandDims(1).split(6, 2);
    NDArray h = modulate(layerNorm(x), mod.get(0), mod.get(1));
    x = x.add(mod.get(2).mul(attention(ps, h, training)));
    h = modulate(layerNorm(x), mod.get(3), mod.get(4));
    NDArray mlp = linear(ps, fc2, Activation.gelu(linear(ps, fc1, h, training)), training);
    x = x.add(mod.get(5).mul(mlp));
    return new NDList(x);
  }

  /** Attention sub-layer: the qkv projection, {@link MultiHeadAttention}, the output projection. */
  private NDArray attention(ParameterStore ps, NDArray h, boolean training) {
    NDArray heads = MultiHeadAttention.apply(linear(ps, qkv, h, training), this.heads);
    return linear(ps, proj, heads, training);
  }

  static NDArray linear(ParameterStore ps, LoraLinear layer, NDArray x, boolean training) {
    return layer.forward(ps, new NDList(x), training).singletonOrThrow();
  }

  /**
   * LayerNorm over the feature axis without affine parameters (adaLN supplies them): (x - mean) /
   * sqrt(var + 1e-6), var the biased variance; libtorch's fused kernel (one pass forward, one
   * backward) with unit weight and zero bias, which need no gradient.
   */
  static NDArray layerNorm(NDArray x) {
    long d = x.getShape().get(x.getShape().dimension() - 1);
    NDManager m = x.getManager();
    NDArray ones = m.ones(new Shape(d), x.getDataType());
    NDArray zeros = m.zeros(new Shape(d), x.getDataType());
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(d), ones, zeros, LAYER_NORM_EPS)
        .singletonOrThrow();
  }

  /** x * (1 + scale) + shift. */
  static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
    return x.mul(Scalars.add(scale, 1.0)).add(shift);
  }

  /**
   * This block's parameters under PyTorch names below {@code prefix} (DiT's module layout:
   * adaLN_modulation = Sequential(SiLU, Linear), timm's Attention and Mlp).
   */
  void putStateDict(String prefix, Map<String, Parameter> out) {
    adaLn.putStateDict(prefix + ".adaLN_modulation.1", out);
    qkv.putStateDict(prefix + ".attn.qkv", out);
    proj.putStateDict(prefix + ".attn.proj", out);
    fc1.putStateDict(prefix + ".mlp.fc1", out);
    fc2.putStateDict(prefix + ".mlp.fc2", out);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager,
      ai.djl.ndarray.types.DataType dataType,
      Shape... inputShapes) {
    Shape tokens = inputShapes[0];
    Shape cond = inputShapes[1];
    adaLn.initialize(manager, dataType, cond);
    qkv.initialize(manager, dataType, tokens);
    proj.initialize(manager, dataType, tokens);
    fc1.initialize(manager, dataType, tokens);
    fc2.initialize(manager, dataType, tokens.slice(0, 2).add((long) fc2.inFeatures()));
  }
}
