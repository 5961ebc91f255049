package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.magicdistill.engine.model.NoGrad;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exponential moving average of the trainable parameters: {@code ema <- decay * ema + (1 - decay) *
 * p} after every optimizer step (libtorch's multi-tensor lerp over all parameters at once). Frozen
 * parameters are not tracked (their average is themselves).
 *
 * <p>For sampling with averaged weights, {@link #swapInto(Block)} puts the averages into the model
 * and returns a handle whose {@code close()} puts the training weights back:
 *
 * <pre>{@code
 * try (Ema.Swap swap = ema.swapInto(model)) {
 *   sample(model);
 * }
 * }</pre>
 */
public final class Ema {
  private final Map<String, Parameter> parameters;
  private final Map<String, NDArray> shadow = new LinkedHashMap<>();
  private final float decay;

  /**
   * Starts the averages at the current values of the trainable parameters of {@code model}.
   *
   * @param stateManager long-lived manager that owns the averages
   */
  public Ema(Block model, float decay, NDManager stateManager) {
    if (!(decay >= 0 && decay < 1)) {
      throw new IllegalArgumentException("EMA decay must be in [0, 1) (got " + decay + ")");
    }
    this.decay = decay;
    this.parameters = ParameterArrays.trainable(model);
    try (NoGrad ignored = NoGrad.enter()) {
      for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
        NDArray copy = e.getValue().getArray().duplicate();
        ParameterArrays.own(stateManager, copy);
        copy.setRequiresGradient(false);
        shadow.put(e.getKey(), copy);
      }
    }
  }

  public float decay() {
    return decay;
  }

  /**
   * Folds the current parameter values into the averages; temporaries go to {@code stepManager}.
   */
  public void update(NDManager stepManager) {
    List<NDArray> averages = new ArrayList<>(shadow.size());
    List<NDArray> current = new ArrayList<>(shadow.size());
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      averages.add(shadow.get(e.getKey()));
      current.add(e.getValue().getArray());
    }
    try (NoGrad ignored = NoGrad.enter()) {
      // ema + (1 - decay) * (p - ema) = decay * ema + (1 - decay) * p, in one multi-tensor kernel
      OptimizerKernels.lerp(averages, current, 1.0 - decay);
    }
  }

  /** Live average arrays by parameter path (do not close them). */
  public Map<String, NDArray> averages() {
    return Collections.unmodifiableMap(shadow);
  }

  /** Overwrites the averages with {@code values} (bit for bit), checking names and shapes. */
  public void restore(Map<String, NDArray> values) {
    for (String name : values.keySet()) {
      if (!shadow.containsKey(name)) {
        throw new IllegalArgumentException(
            "EMA value for '"
                + name
                + "' but the model has no trainable parameter of that name (trainable: "
                + shadow.keySet()
                + ")");
      }
    }
    for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
      NDArray src = values.get(e.getKey());
      if (src == null) {
        throw new IllegalArgumentException(
            "no EMA value for trainable parameter '" + e.getKey() + "'");
      }
      if (!src.getShape().equals(e.getValue().getShape())) {
        throw new IllegalArgumentException(
            "EMA value for '"
                + e.getKey()
                + "' has shape "
                + src.getShape()
                + " but the parameter has shape "
                + e.getValue().getShape());
      }
      ParameterArrays.copyInto(e.getValue(), src);
    }
  }

  /** Copies the averages into the matching parameters of {@code model} (by path), for export. */
  public void copyInto(Block model) {
    Map<String, Parameter> target = ParameterArrays.parameters(model);
    for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
      Parameter p = target.get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException("model has no parameter '" + e.getKey() + "'");
      }
      ParameterArrays.copyInto(p.getArray(), e.getValue());
    }
  }

  /**
   * Puts the averages into {@code model}'s parameters and keeps the training weights aside; closing
   * the returned handle restores them exactly. Do not train while swapped.
   */
  public Swap swapInto(Block model) {
    Map<String, Parameter> target = ParameterArrays.parameters(model);
    NDManager saved = null;
    Map<String, NDArray> kept = new LinkedHashMap<>();
    try (NoGrad ignored = NoGrad.enter()) {
      for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
        Parameter p = target.get(e.getKey());
        if (p == null) {
          throw new IllegalArgumentException("model has no parameter '" + e.getKey() + "'");
        }
        if (saved == null) {
          saved = e.getValue().getManager().newSubManager();
        }
        NDArray copy = ParameterArrays.own(saved, p.getArray().duplicate());
        kept.put(e.getKey(), copy);
        ParameterArrays.copyInto(p.getArray(), e.getValue());
      }
    } catch (RuntimeException e) {
      if (saved != null) {
        saved.close();
      }
      throw e;
    }
    return new Swap(target, kept, saved);
  }

  /** Handle returned by {@link #swapInto(Block)}; {@link #close()} restores training weights. */
  public static final class Swap implements AutoCloseable {
    private final Map<String, Parameter> target;
    private final Map<String, NDArray> kept;
    private final NDManager saved;
    private boolean closed;

    private Swap(Map<String, Parameter> target, Map<String, NDArray> kept, NDManager saved) {
      this.target = target;
      this.kept = kept;
      this.saved = saved;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (Map.Entry<String, NDArray> e : kept.entrySet()) {
        ParameterArrays.copyInto(target.get(e.getKey()).getArray(), e.getValue());
      }
      if (saved != null) {
        saved.close();
      }
    }
  }
}
