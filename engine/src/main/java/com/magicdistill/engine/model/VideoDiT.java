package com.magicdistill.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The miniature image-to-video diffusion transformer: a velocity model v_theta(x_sigma, sigma, c)
 * for rectified flow (docs/ALGORITHM.md#flow-conventions), conditioned on the clip's first frame.
 *
 * <p>Top to bottom:
 *
 * <ol>
 *   <li>First-frame conditioning by channel concatenation ({@link ImageConditioning}): the input
 *       per pixel is [x_sigma (3), the first frame repeated at every t (3), known-frame mask (1 at
 *       t = 0, else 0) (1)].
 *   <li>Patch embedding over (frames, h, w): non-overlapping pt x p x p tubelets, one linear.
 *   <li>Fixed 3-D sinusoidal position embedding (time, row, column).
 *   <li>Sigma embedding: sinusoidal features of 1000 * sigma, MLP, used by every block's adaLN.
 *   <li>{@code depth} x {@link DitBlock} (full spatio-temporal attention + MLP, adaLN-Zero).
 *   <li>Final adaLN + linear to pt x p x p x 3 values per token; un-patchify. They are the
 *       velocity, or with {@link Prediction#X0} the clean clip x0_theta, whose velocity {@link
 *       RectifiedFlow#velocityFromX0} the model returns. With {@code patchSkip}, a linear of the
 *       input patch itself (the 7 channels of step 1) is added first: a path for detail within a
 *       patch that does not fit through the token's {@code dim} channels.
 * </ol>
 *
 * Inputs: {@code NDList(x_sigma (B,3,T,H,W), sigma (B), firstFrame (B,3,H,W))}, values in [-1, 1].
 * Output: {@code NDList(v (B,3,T,H,W))}.
 */
public final class VideoDiT extends AbstractBlock {
  private static final int SIGMA_FEATURES = 64;

  private final DitConfig cfg;
  private final LoraScale loraScale;
  private final LoraLinear patchEmbed;
  private final LoraLinear sigmaEmbed1;
  private final LoraLinear sigmaEmbed2;
  private final List<DitBlock> blocks = new ArrayList<>();
  private final LoraLinear finalAdaLn;
  private final LoraLinear finalLinear;
  private final LoraLinear patchSkip;
  private final float[] positionTable;

  /**
   * A freshly initialised base model (no LoRA) of architecture {@code cfg}, its weights drawn from
   * the engine's random generator seeded with {@code seed}: the same seed gives the same weights.
   */
  public static VideoDiT freshBase(DitConfig cfg, long seed, NDManager manager) {
    Engine.getInstance().setRandomSeed((int) seed);
    VideoDiT model = new VideoDiT(cfg.withLora(0, Set.of()));
    model.initialize(manager);
    return model;
  }

  public VideoDiT(DitConfig cfg) {
    this.cfg = cfg;
    this.loraScale = new LoraScale(1f);
    int d = cfg.dim();
    float a = cfg.loraAlpha();
    int in = DitConfig.IN_CHANNELS * cfg.patchVolume();
    patchEmbed =
        addChildBlock(
            "patch_embed", new LoraLinear(in, d, cfg.rankFor("patch_embed"), a, loraScale, false));
    sigmaEmbed1 =
        addChildBlock(
            "sigma_embed1",
            new LoraLinear(SIGMA_FEATURES, d, cfg.rankFor("sigma_embed"), a, loraScale, false));
    sigmaEmbed2 =
        addChildBlock(
            "sigma_embed2", new LoraLinear(d, d, cfg.rankFor("sigma_embed"), a, loraScale, false));
    for (int i = 0; i < cfg.depth(); i++) {
      blocks.add(addChildBlock("block" + i, new DitBlock(cfg, loraScale)));
    }
    finalAdaLn =
        addChildBlock(
            "final_adaln", new LoraLinear(d, 2 * d, cfg.rankFor("final"), a, loraScale, true));
    finalLinear =
        addChildBlock(
            "final_linear",
            new LoraLinear(d, 3 * cfg.patchVolume(), cfg.rankFor("final"), a, loraScale, true));
    // Zero at initialisation, as the last linear: the model starts as it does without it.
    patchSkip =
        cfg.patchSkip()
            ? addChildBlock(
                "patch_skip", new LoraLinear(in, 3 * cfg.patchVolume(), 0, a, loraScale, true))
            : null;
    positionTable = PositionEmbedding.table3d(cfg.tokensT(), cfg.tokensH(), cfg.tokensW(), d);
  }

  public DitConfig config() {
    return cfg;
  }

  /** The scale s applied to every LoRA adapter in this model on the next forward pass. */
  public LoraScale loraScale() {
    return loraScale;
  }

  /** Input shapes for {@link #initialize}: batch size b. */
  public Shape[] inputShapes(int b) {
    var c = cfg.clip();
    return new Shape[] {
      new Shape(b, 3, c.frames(), c.height(), c.width()),
      new Shape(b),
      new Shape(b, 3, c.height(), c.width())
    };
  }

  /** Creates the parameters (seeded by the engine's random seed) in {@code manager}. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, inputShapes(1));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    long b = shapes[0].get(0);
    int d = cfg.dim();
    Shape tokens = new Shape(b, cfg.tokens(), d);
    Shape cond = new Shape(b, d);
    patchEmbed.initialize(manager, dataType, new Shape(b, cfg.tokens(), patchEmbed.inFeatures()));
    sigmaEmbed1.initialize(manager, dataType, new Shape(b, SIGMA_FEATURES));
    sigmaEmbed2.initialize(manager, dataType, cond);
    for (DitBlock block : blocks) {
      block.initialize(manager, dataType, tokens, cond);
    }
    finalAdaLn.initialize(manager, dataType, cond);
    finalLinear.initialize(manager, dataType, tokens);
    if (patchSkip != null) {
      patchSkip.initialize(manager, dataType, new Shape(b, cfg.tokens(), patchSkip.inFeatures()));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    long b = x.getShape().get(0);
    NDArray patches = inputPatches(inputs);
    NDList hidden = trunk(ps, patches, inputs.get(1), training, blocks.size());
    NDArray tokens = hidden.get(0);
    NDArray c = hidden.get(1);
    NDList mod =
        DitBlock.linear(ps, finalAdaLn, Scalars.silu(c), training).expandDims(1).split(2, 2);
    tokens = DitBlock.modulate(DitBlock.layerNorm(tokens), mod.get(0), mod.get(1));
    NDArray outTokens = DitBlock.linear(ps, finalLinear, tokens, training);
    if (patchSkip != null) {
      outTokens = outTokens.add(DitBlock.linear(ps, patchSkip, patches, training));
    }
    NDArray out = Patches.unpatchify(outTokens, cfg, 3, b);
    if (cfg.prediction() == Prediction.X0) {
      out = RectifiedFlow.velocityFromX0(x, out, inputs.get(1));
    }
    return new NDList(out);
  }

  /**
   * Intermediate features: the tokens (B, N, D) after the first {@code depth} blocks, for the GAN
   * head of DMD2 (docs/ALGORITHM.md#optional-terms). Same inputs as the forward pass.
   */
  public NDArray features(ParameterStore ps, NDList inputs, boolean training, int depth) {
    if (depth < 1 || depth > blocks.size()) {
      throw new IllegalArgumentException(
          "feature depth must be in [1, " + blocks.size() + "], got " + depth);
    }
    return trunk(ps, inputPatches(inputs), inputs.get(1), training, depth).get(0);
  }

  /** The conditioned input (x_sigma, first frame, mask) as patches (B, N, 7 * pt * p * p). */
  private NDArray inputPatches(NDList inputs) {
    return Patches.patchify(ImageConditioning.concat(inputs.get(0), inputs.get(2)), cfg);
  }

  /**
   * Embeddings of the input patches and of sigma, and the first {@code depth} blocks: returns
   * (tokens, sigma conditioning).
   */
  private NDList trunk(
      ParameterStore ps, NDArray patches, NDArray sigma, boolean training, int depth) {
    NDManager m = patches.getManager();

    NDArray tokens = DitBlock.linear(ps, patchEmbed, patches, training);
    NDArray pos = m.create(positionTable, new Shape(1, cfg.tokens(), cfg.dim()));
    tokens = tokens.add(pos);

    NDArray c = PositionEmbedding.sigmaFeatures(sigma, SIGMA_FEATURES);
    c = DitBlock.linear(ps, sigmaEmbed1, c, training);
    c = DitBlock.linear(ps, sigmaEmbed2, Scalars.silu(c), training);

    for (int i = 0; i < depth; i++) {
      tokens = blocks.get(i).forward(ps, new NDList(tokens, c), training).singletonOrThrow();
    }
    return new NDList(tokens, c);
  }

  /**
   * Every parameter under its PyTorch state-dict name, in forward order: {@code
   * patch_embed.weight}, {@code sigma_embed.mlp.0.weight}, {@code blocks.0.attn.qkv.weight}, ...,
   * {@code final_layer.linear.bias} (the names of an exported package, docs/MODEL_PACKAGE.md).
   * Checkpoints keep DJL's parameter paths ({@code getParameters()}).
   */
  public Map<String, Parameter> stateDict() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    patchEmbed.putStateDict("patch_embed", out);
    sigmaEmbed1.putStateDict("sigma_embed.mlp.0", out);
    sigmaEmbed2.putStateDict("sigma_embed.mlp.2", out);
    for (int i = 0; i < blocks.size(); i++) {
      blocks.get(i).putStateDict("blocks." + i, out);
    }
    finalAdaLn.putStateDict("final_layer.adaLN_modulation.1", out);
    finalLinear.putStateDict("final_layer.linear", out);
    if (patchSkip != null) {
      patchSkip.putStateDict("patch_skip", out);
    }
    return out;
  }

  /** Every LoRA-carrying linear of this model (for merging and inspection). */
  public List<LoraLinear> loraLinears() {
    List<LoraLinear> out = new ArrayList<>();
    collect(this, out);
    return out;
  }

  private static void collect(ai.djl.nn.Block block, List<LoraLinear> out) {
    if (block instanceof LoraLinear l) {
      if (l.hasLora()) {
        out.add(l);
      }
      return;
    }
    for (var child : block.getChildren().values()) {
      collect(child, out);
    }
  }

  /** True if a parameter belongs to a LoRA adapter (the only trainable part of the fake model). */
  public static boolean isLoraParameter(Parameter p) {
    return p.getName().startsWith(LoraLinear.LORA_PREFIX);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
