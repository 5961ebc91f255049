package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * A linear layer y = x W^T + b that may carry a low-rank adapter (LoRA, Hu et al. 2021):
 *
 * <pre>
 *   y = x W^T + b + s * (alpha / r) * (x A^T) B^T,   A: r x in,  B: out x r,  B = 0 at init
 * </pre>
 *
 * where s is the model's run-time {@link LoraScale}. With rank 0 the layer has no adapter. The
 * adapter parameters are named {@code lora_a} / {@code lora_b} so that training the fake score
 * model can freeze everything else by name (docs/STACK_NOTES.md, DJL gotcha 3).
 */
public final class LoraLinear extends AbstractBlock {
  public static final String LORA_PREFIX = "lora_";

  private final int in;
  private final int out;
  private final int rank;
  private final float alpha;
  private final LoraScale scale;
  private final Parameter weight;
  private final Parameter bias;
  private final Parameter loraA;
  private final Parameter loraB;

  /**
   * @param zeroInit initialise W to zero (adaLN-Zero modulation and the output projection of a DiT
   *     start at zero so every block is the identity at step 0)
   */
  public LoraLinear(int in, int out, int rank, float alpha, LoraScale scale, boolean zeroInit) {
    this.in = in;
    this.out = out;
    this.rank = rank;
    this.alpha = alpha;
    this.scale = scale;
    this.weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in))
                .optInitializer(zeroInit ? new ZeroInitializer() : new XavierInitializer())
                .build());
    this.bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(out))
                .optInitializer(new ZeroInitializer())
                .build());
    if (rank > 0) {
      this.loraA =
          addParameter(
              Parameter.builder()
                  .setName(LORA_PREFIX + "a")
                  .setType(Parameter.Type.WEIGHT)
                  .optShape(new Shape(rank, in))
                  .optInitializer(new NormalInitializer((float) (1.0 / Math.sqrt(in))))
                  .build());
      this.loraB =
          addParameter(
              Parameter.builder()
                  .setName(LORA_PREFIX + "b")
                  .setType(Parameter.Type.WEIGHT)
                  .optShape(new Shape(out, rank))
                  .optInitializer(new ZeroInitializer())
                  .build());
    } else {
      this.loraA = null;
      this.loraB = null;
    }
  }

  public boolean hasLora() {
    return rank > 0;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    // linear(x, W, b) = x W^T + b, created in x's manager (a W.transpose() would be created in
    // the parameter's long-lived manager and pile up there, one per forward pass).
    NDArray y = x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
    float s = scale.get();
    if (rank > 0 && s != 0f) {
      NDArray a = ps.getValue(loraA, x.getDevice(), training);
      NDArray bb = ps.getValue(loraB, x.getDevice(), training);
      NDArray h = x.getNDArrayInternal().linear(x, a, null).singletonOrThrow();
      NDArray delta = h.getNDArrayInternal().linear(h, bb, null).singletonOrThrow();
      y = y.add(Scalars.mul(delta, s * alpha / rank));
    }
    return new NDList(y);
  }

  /**
   * Folds the adapter at scale {@code s} into W (W += s * alpha/r * B A) and zeroes B, so the layer
   * computes the same function with the adapter off. Used by tests and by exports of a merged
   * model.
   */
  public void mergeLora(float s) {
    if (rank == 0) {
      return;
    }
    NDArray w = weight.getArray();
    NDArray delta = loraB.getArray().matMul(loraA.getArray()).mul(s * alpha / rank);
    w.addi(delta);
    delta.close();
    loraB.getArray().muli(0f);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
  }

  /**
   * Puts this linear's parameters into {@code out} under PyTorch names: {@code prefix.weight},
   * {@code prefix.bias} and, with an adapter, PEFT's {@code prefix.lora_A.weight} (r, in) and
   * {@code prefix.lora_B.weight} (out, r).
   */
  void putStateDict(String prefix, Map<String, Parameter> out) {
    out.put(prefix + ".weight", weight);
    out.put(prefix + ".bias", bias);
    if (rank > 0) {
      out.put(prefix + ".lora_A.weight", loraA);
      out.put(prefix + ".lora_B.weight", loraB);
    }
  }

  public int inFeatures() {
    return in;
  }

  public int outFeatures() {
    return out;
  }
}
