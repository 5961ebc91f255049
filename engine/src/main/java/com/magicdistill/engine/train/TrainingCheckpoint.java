package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.random.StepRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue training bit-identically: model weights (all parameters, frozen
 * ones included), EMA averages, AdamW moments and update count, the number of completed steps, the
 * {@link StepRandom} state ({@code seed}; the step is {@link #step()}) and the run's config JSON.
 *
 * <p>From {@link #capture} the arrays are copies owned by this object's manager, which {@link
 * #close()} frees; from {@link #viewOf} they are the live training state, left alone on close. Maps
 * are keyed by parameter path (as {@link Tensors#parameters(Block)} names them).
 */
public final class TrainingCheckpoint implements AutoCloseable {
  private final long step;
  private final long seed;
  private final long adamStep;
  private final String configJson;
  private final Map<String, NDArray> weights;
  private final Map<String, NDArray> ema;
  private final Map<String, NDArray> adamM;
  private final Map<String, NDArray> adamV;
  private final NDManager manager;

  /** Takes ownership of {@code manager} and the arrays in it. */
  public TrainingCheckpoint(
      long step,
      long seed,
      long adamStep,
      String configJson,
      Map<String, NDArray> weights,
      Map<String, NDArray> ema,
      Map<String, NDArray> adamM,
      Map<String, NDArray> adamV,
      NDManager manager) {
    if (step < 0 || adamStep < 0) {
      throw new IllegalArgumentException(
          "step and adamStep must be >= 0 (got " + step + ", " + adamStep + ")");
    }
    this.step = step;
    this.seed = seed;
    this.adamStep = adamStep;
    this.configJson = configJson == null ? "{}" : configJson;
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    this.ema = Collections.unmodifiableMap(new LinkedHashMap<>(ema));
    this.adamM = Collections.unmodifiableMap(new LinkedHashMap<>(adamM));
    this.adamV = Collections.unmodifiableMap(new LinkedHashMap<>(adamV));
    this.manager = manager;
  }

  /**
   * Copies the current training state into a new checkpoint whose arrays live in a sub-manager of
   * {@code parent}. {@code adam} and {@code ema} may be null (weights-only checkpoint).
   */
  public static TrainingCheckpoint capture(
      Block model, AdamW adam, Ema ema, long step, long seed, String configJson, NDManager parent) {
    NDManager m = parent.newSubManager();
    try (NoGrad ignored = NoGrad.enter()) {
      Map<String, NDArray> w = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> e : ParameterArrays.parameters(model).entrySet()) {
        w.put(e.getKey(), copy(m, e.getValue().getArray()));
      }
      Map<String, NDArray> em = new LinkedHashMap<>();
      if (ema != null) {
        ema.averages().forEach((k, a) -> em.put(k, copy(m, a)));
      }
      Map<String, NDArray> mm = new LinkedHashMap<>();
      Map<String, NDArray> vv = new LinkedHashMap<>();
      if (adam != null) {
        adam.firstMoments().forEach((k, a) -> mm.put(k, copy(m, a)));
        adam.secondMoments().forEach((k, a) -> vv.put(k, copy(m, a)));
      }
      return new TrainingCheckpoint(
          step, seed, adam == null ? 0 : adam.updateCount(), configJson, w, em, mm, vv, m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * The current training state without copying it: the checkpoint's arrays are the live parameters,
   * EMA averages and AdamW moments, so it is valid only while training waits, e.g. for a save that
   * returns before the next step ({@link Trainer#saveCheckpoint}). {@link #close()} frees nothing
   * of the live state.
   */
  public static TrainingCheckpoint viewOf(
      Block model, AdamW adam, Ema ema, long step, long seed, String configJson, NDManager parent) {
    Map<String, NDArray> w = new LinkedHashMap<>();
    ParameterArrays.parameters(model).forEach((k, p) -> w.put(k, p.getArray()));
    Map<String, NDArray> em = ema == null ? Map.of() : ema.averages();
    Map<String, NDArray> mm = adam == null ? Map.of() : adam.firstMoments();
    Map<String, NDArray> vv = adam == null ? Map.of() : adam.secondMoments();
    return new TrainingCheckpoint(
        step,
        seed,
        adam == null ? 0 : adam.updateCount(),
        configJson,
        w,
        em,
        mm,
        vv,
        parent.newSubManager());
  }

  private static NDArray copy(NDManager m, NDArray a) {
    NDArray c = ParameterArrays.own(m, a.duplicate());
    c.setRequiresGradient(false);
    return c;
  }

  /**
   * Copies the weights into {@code model}'s parameters by path. Every model parameter must be in
   * the checkpoint with the same shape, and every checkpoint weight must exist in the model;
   * otherwise an {@link IllegalArgumentException} names the parameter. Parameters that should train
   * get their gradient re-attached (docs/STACK_NOTES.md, DJL gotcha 4).
   */
  public void restoreWeights(Block model) {
    Map<String, Parameter> params = ParameterArrays.parameters(model);
    for (String name : weights.keySet()) {
      if (!params.containsKey(name)) {
        throw new IllegalArgumentException(
            "checkpoint has weight 'model."
                + name
                + "' but the model has no parameter '"
                + name
                + "' (model parameters: "
                + params.keySet()
                + "): is this checkpoint from a different architecture?");
      }
    }
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      String name = e.getKey();
      NDArray src = weights.get(name);
      if (src == null) {
        throw new IllegalArgumentException(
            "checkpoint has no weight 'model."
                + name
                + "' for model parameter '"
                + name
                + "' (checkpoint weights: "
                + weights.keySet()
                + ")");
      }
      NDArray dst = e.getValue().getArray();
      if (!src.getShape().equals(dst.getShape())) {
        throw new IllegalArgumentException(
            "parameter '"
                + name
                + "': model shape "
                + dst.getShape()
                + " but checkpoint shape "
                + src.getShape());
      }
      ParameterArrays.copyInto(dst, src);
      if (e.getValue().requiresGradient() && !dst.hasGradient()) {
        dst.setRequiresGradient(true);
      }
    }
  }

  /** Restores weights into {@code model} and, where non-null, the optimizer and EMA state. */
  public void restoreInto(Block model, AdamW adam, Ema emaTarget) {
    restoreWeights(model);
    if (adam != null) {
      adam.restore(adamStep, adamM, adamV);
    }
    if (emaTarget != null) {
      emaTarget.restore(ema);
    }
  }

  /** Number of completed training steps (the next step to run has this index). */
  public long step() {
    return step;
  }

  public long seed() {
    return seed;
  }

  public long adamStep() {
    return adamStep;
  }

  public String configJson() {
    return configJson;
  }

  public Map<String, NDArray> weights() {
    return weights;
  }

  public Map<String, NDArray> ema() {
    return ema;
  }

  public Map<String, NDArray> adamM() {
    return adamM;
  }

  public Map<String, NDArray> adamV() {
    return adamV;
  }

  /** The manager owning this checkpoint's arrays. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }
}
