package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.Scalars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov &amp; Hutter) with bias correction and decoupled weight decay, written out so
 * its state can be checkpointed exactly (DJL's optimizers keep theirs private: docs/STACK_NOTES.md,
 * DJL gotcha 4).
 *
 * <p>For each trainable parameter {@code p} with gradient {@code g}, update {@code t} (1-based):
 *
 * <pre>
 *   p &lt;- p * (1 - lr * weightDecay)            (only where the decay filter accepts p)
 *   m &lt;- beta1 * m + (1 - beta1) * g
 *   v &lt;- beta2 * v + (1 - beta2) * g^2
 *   p &lt;- p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * which is the formula of {@code torch.optim.AdamW}, and its kernel: libtorch's fused AdamW (as
 * {@code torch.optim.AdamW(fused=True)}) updates all parameters in one call ({@link
 * OptimizerKernels}). Moments {@code m}, {@code v} live in a long-lived manager, keyed by parameter
 * path; only parameters that require gradients at construction get state and are updated (frozen
 * LoRA bases are untouched). Updates run in place on {@code parameter.getArray()} with autograd
 * off, outside any gradient collector.
 */
public final class AdamW {
  private final Map<String, Parameter> parameters;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final Set<String> decayed;
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private long updateCount;

  /**
   * Creates the optimizer for the parameters of {@code model} that require gradients now.
   *
   * @param stateManager long-lived manager that owns the moment arrays
   * @param decayFilter which parameter paths get weight decay (for example only matrices)
   */
  public AdamW(
      Block model,
      float beta1,
      float beta2,
      float eps,
      float weightDecay,
      Predicate<String> decayFilter,
      NDManager stateManager) {
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1) (got " + beta1 + ")");
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1) (got " + beta2 + ")");
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("eps must be > 0 (got " + eps + ")");
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weightDecay must be >= 0 (got " + weightDecay + ")");
    }
    this.parameters = ParameterArrays.trainable(model);
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException(
          "the model has no parameter that requires gradients: nothing to optimise (initialize the"
              + " block first; check freezeParameters)");
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    java.util.HashSet<String> decay = new java.util.HashSet<>();
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      NDArray p = e.getValue().getArray();
      m.put(e.getKey(), stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
      v.put(e.getKey(), stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
      if (decayFilter.test(e.getKey())) {
        decay.add(e.getKey());
      }
    }
    this.decayed = Collections.unmodifiableSet(decay);
  }

  /** With the hyper-parameters of {@code config}, decaying every trainable parameter. */
  public static AdamW of(Block model, TrainConfig config, NDManager stateManager) {
    return new AdamW(
        model,
        config.beta1(),
        config.beta2(),
        config.eps(),
        config.weightDecay(),
        name -> true,
        stateManager);
  }

  /**
   * Applies one update with learning rate {@code lr} using the gradients currently stored on the
   * parameters. Temporaries go to {@code stepManager}; gradients are left as they are (the caller
   * zeroes them).
   */
  public void step(float lr, NDManager stepManager) {
    updateCount++;
    KernelCall withDecay = new KernelCall();
    KernelCall withoutDecay = new KernelCall();
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue().getArray();
      if (!p.hasGradient()) {
        throw new IllegalStateException(
            "parameter "
                + name
                + " should train but has no gradient attached (after loading weights call"
                + " setRequiresGradient(true) / initialize again: docs/STACK_NOTES.md, DJL gotcha 4)");
      }
      boolean decay = weightDecay > 0 && decayed.contains(name);
      (decay ? withDecay : withoutDecay)
          .add(p, ParameterArrays.gradient(stepManager, e.getValue()), m.get(name), v.get(name));
    }
    NDArray t = Scalars.of(stepManager, (double) updateCount);
    try (NoGrad ignored = NoGrad.enter()) {
      withDecay.run(t, lr, weightDecay);
      withoutDecay.run(t, lr, 0f);
    }
  }

  /** The parameters, gradients and moments one call of the fused kernel updates, in order. */
  private final class KernelCall {
    private final List<NDArray> params = new ArrayList<>();
    private final List<NDArray> grads = new ArrayList<>();
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();

    void add(NDArray param, NDArray grad, NDArray first, NDArray second) {
      params.add(param);
      grads.add(grad);
      firstMoments.add(first);
      secondMoments.add(second);
    }

    void run(NDArray t, float lr, float decay) {
      if (!params.isEmpty()) {
        OptimizerKernels.adamw(
            params, grads, firstMoments, secondMoments, t, lr, beta1, beta2, decay, eps);
      }
    }
  }

  /** Number of updates applied so far ({@code t} of the bias correction). */
  public long updateCount() {
    return updateCount;
  }

  /** The parameters this optimizer updates, by path. */
  public Map<String, Parameter> parameters() {
    return parameters;
  }

  /** Live first-moment arrays by parameter path (do not close them). */
  public Map<String, NDArray> firstMoments() {
    return Collections.unmodifiableMap(m);
  }

  /** Live second-moment arrays by parameter path (do not close them). */
  public Map<String, NDArray> secondMoments() {
    return Collections.unmodifiableMap(v);
  }

  /**
   * Restores the state exported by {@link #firstMoments()}, {@link #secondMoments()} and {@link
   * #updateCount()}; values are copied bit for bit into the existing moment arrays.
   *
   * @throws IllegalArgumentException naming the parameter whose moment is missing or mis-shaped
   */
  public void restore(long updateCount, Map<String, NDArray> first, Map<String, NDArray> second) {
    if (updateCount < 0) {
      throw new IllegalArgumentException("updateCount must be >= 0 (got " + updateCount + ")");
    }
    restoreMoments("adam_m", m, first);
    restoreMoments("adam_v", v, second);
    this.updateCount = updateCount;
  }

  private static void restoreMoments(
      String what, Map<String, NDArray> target, Map<String, NDArray> source) {
    for (String name : source.keySet()) {
      if (!target.containsKey(name)) {
        throw new IllegalArgumentException(
            what
                + " state for '"
                + name
                + "' but the optimizer has no trainable parameter of that name (trainable: "
                + target.keySet()
                + ")");
      }
    }
    for (Map.Entry<String, NDArray> e : target.entrySet()) {
      NDArray src = source.get(e.getKey());
      if (src == null) {
        throw new IllegalArgumentException(
            "no " + what + " state for trainable parameter '" + e.getKey() + "'");
      }
      if (!src.getShape().equals(e.getValue().getShape())) {
        throw new IllegalArgumentException(
            what
                + " state for '"
                + e.getKey()
                + "' has shape "
                + src.getShape()
                + " but the parameter has shape "
                + e.getValue().getShape());
      }
      ParameterArrays.copyInto(e.getValue(), src);
    }
  }
}
