package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.magicdistill.engine.model.NoGrad;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Gradient clipping by the global L2 norm over all parameters (as torch clip_grad_norm_). */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales the stored gradients of {@code parameters} (those that have one) in place so their
   * global L2 norm is at most {@code maxNorm}; returns the norm before clipping. {@code maxNorm <=
   * 0} only measures. A non-finite norm is returned as is and nothing is scaled.
   */
  public static float clipGlobalNorm(Collection<Parameter> parameters, float maxNorm) {
    NDManager owner = null;
    for (Parameter p : parameters) {
      if (p.isInitialized() && p.getArray().hasGradient()) {
        owner = p.getArray().getManager();
        break;
      }
    }
    if (owner == null) {
      return 0f;
    }
    try (NDManager tmp = owner.newSubManager();
        NoGrad ignored = NoGrad.enter()) {
      List<NDArray> grads = new ArrayList<>();
      for (Parameter p : parameters) {
        if (p.isInitialized() && p.getArray().hasGradient()) {
          grads.add(ParameterArrays.gradient(tmp, p));
        }
      }
      float norm = (float) OptimizerKernels.norm(grads);
      if (maxNorm > 0 && Float.isFinite(norm) && norm > maxNorm) {
        OptimizerKernels.scale(grads, maxNorm / (norm + 1e-6));
      }
      return norm;
    }
  }
}
