package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import com.magicdistill.engine.model.NoGrad;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameter-array helpers that encode the DJL rules this package lives by (docs/STACK_NOTES.md):
 * temporaries owned by the step manager, in-place updates with autograd off, gradients fetched
 * without leaking handles into the model's manager. Scalars live in {@code model.Scalars}.
 */
public final class ParameterArrays {
  private ParameterArrays() {}

  /** Moves {@code array} into {@code manager} unless it is already there; returns it. */
  public static NDArray own(NDManager manager, NDArray array) {
    if (array.getManager() != manager) {
      array.attach(manager);
    }
    return array;
  }

  /**
   * The gradient of {@code parameter}'s array, owned by {@code manager} (DJL creates a new handle
   * in the parameter's manager on every call; this moves it so closing the step frees it). Writes
   * to the returned array (in place) change the stored gradient.
   */
  public static NDArray gradient(NDManager manager, Parameter parameter) {
    return own(manager, parameter.getArray().getGradient());
  }

  /** Resets the stored gradient of a parameter to zero (gradients otherwise accumulate). */
  public static void zeroGradient(Parameter parameter) {
    NDArray array = parameter.getArray();
    if (!array.hasGradient()) {
      return;
    }
    if (array instanceof PtNDArray) {
      JniUtils.zeroGrad((PtNDArray) array);
    } else {
      try (NDArray g = array.getGradient()) {
        g.subi(g);
      }
    }
  }

  /** Copies {@code source}'s values into {@code target} in place, bit for bit. */
  public static void copyInto(NDArray target, NDArray source) {
    if (!target.getShape().equals(source.getShape())) {
      throw new IllegalArgumentException(
          "cannot copy shape " + source.getShape() + " into shape " + target.getShape());
    }
    if (target.getDataType() != source.getDataType()) {
      throw new IllegalArgumentException(
          "cannot copy " + source.getDataType() + " into " + target.getDataType());
    }
    try (NoGrad ignored = NoGrad.enter()) {
      // An indexed copy stays in libtorch; set(Buffer) goes through a deprecated libtorch call
      // that prints a warning on stderr.
      target.set(new NDIndex("..."), source);
    }
  }

  /**
   * All parameters of {@code block} by their unique path name (as {@link Block#getParameters()}
   * names them, for example {@code 02Linear_weight}), in block order.
   */
  public static Map<String, Parameter> parameters(Block block) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (out.put(p.getKey(), p.getValue()) != null) {
        throw new IllegalStateException("duplicate parameter path " + p.getKey());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The parameters of {@code block} that require gradients (the ones training updates). */
  public static Map<String, Parameter> trainable(Block block) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : parameters(block).entrySet()) {
      if (e.getValue().requiresGradient()) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Re-attaches gradients to every parameter of {@code block} that should train but has none (after
   * {@code Block.loadParameters} or an in-place load: docs/STACK_NOTES.md, DJL gotcha 4); returns
   * how many were fixed.
   */
  public static int ensureGradients(Block block) {
    int fixed = 0;
    for (Parameter p : parameters(block).values()) {
      if (p.isInitialized() && p.requiresGradient() && !p.getArray().hasGradient()) {
        p.getArray().setRequiresGradient(true);
        fixed++;
      }
    }
    return fixed;
  }
}
