package com.magicdistill.engine.distill.lcm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.model.Scalars;
import com.magicdistill.engine.model.Tensors;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.train.ParameterArrays;
import com.magicdistill.engine.train.TrainingObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The latent consistency distillation loss (Song et al. 2023; Luo et al. 2023), adapted to
 * rectified flow. One step, with everything drawn from the step's {@link StepRandom}:
 *
 * <pre>
 *   x0 ~ data, eps ~ N(0, I), c = first frame of x0
 *   sigmas = SigmaSchedule(N, shift) = {s_0 = 1 > s_1 > ... > s_N = 0}
 *   i ~ U{0, ..., N/k - 1};  s_hi = s_{i k},  s_lo = s_{(i+1) k}          (per sample)
 *   x_hi = (1 - s_hi) x0 + s_hi eps
 *   x_hat_lo = x_hi + v_teacher(x_hi, s_hi, c) (s_lo - s_hi)              (no grad: teacher ODE step)
 *   target = f_{theta^-}(x_hat_lo, s_lo, c)                               (no grad: target network)
 *   L = mean d(f_theta(x_hi, s_hi, c), target),  d = squared error or pseudo-Huber(c)
 * </pre>
 *
 * with f(x, s) = x - s v(x, s, c) ({@link ConsistencyFunction}). The teacher and target forwards
 * run under {@link NoGrad}, so no gradient reaches them whatever their parameters' settings. Before
 * each loss the target network is refreshed from {@code targetWeights} (the trainer's EMA of the
 * student), so it always holds theta^- of the step about to run, also after a resume.
 */
public final class LcmObjective implements TrainingObjective {
  private final Block teacher;
  private final Block target;
  private final List<Clip> clips;
  private final int batchSize;
  private final double[] sigmas;
  private final int skip;
  private final double huberC;
  private Supplier<Map<String, NDArray>> targetWeights;

  /**
   * @param teacher frozen velocity model (never updated; its forward runs without autograd)
   * @param target the target network theta^- (a separate instance of the student's architecture)
   */
  public LcmObjective(Block teacher, Block target, List<Clip> clips, LcmConfig config) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException(
          "training data is empty: give a dataset with clips that pass the quality filter");
    }
    this.teacher = teacher;
    this.target = target;
    this.clips = List.copyOf(clips);
    this.batchSize = config.batchSize();
    this.sigmas = config.schedule().sigmas();
    this.skip = config.skip();
    this.huberC = config.huberC();
  }

  /**
   * Where the target weights come from (parameter path -> array, for example {@code
   * trainer.ema()::averages}); they are copied into the target network before every loss. Null
   * keeps the target network's weights as they are.
   */
  public LcmObjective targetWeights(Supplier<Map<String, NDArray>> source) {
    this.targetWeights = source;
    return this;
  }

  /** Copies {@code weights} into the target network by parameter path (bit for bit). */
  public void refreshTarget(Map<String, NDArray> weights) {
    var params = ParameterArrays.parameters(target);
    for (Map.Entry<String, NDArray> e : weights.entrySet()) {
      var p = params.get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException(
            "target network has no parameter '" + e.getKey() + "': it must match the student");
      }
      ParameterArrays.copyInto(p.getArray(), e.getValue());
    }
  }

  /** The number of distinct (s_hi, s_lo) pairs: N / k. */
  public int intervals() {
    return (sigmas.length - 1) / skip;
  }

  /** The noise levels (s_hi, s_lo) of interval {@code i} in [0, N/k). */
  public double[] interval(int i) {
    return new double[] {sigmas[i * skip], sigmas[(i + 1) * skip]};
  }

  @Override
  public NDArray loss(NDManager m, Block model, long step, StepRandom rng) {
    return loss(m, new ParameterStore(m, false), model, step, rng);
  }

  @Override
  public NDArray loss(NDManager m, ParameterStore ps, Block student, long step, StepRandom rng) {
    if (targetWeights != null) {
      refreshTarget(targetWeights.get());
    }
    List<Clip> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      batch.add(clips.get(rng.nextInt(clips.size())));
    }
    NDArray x0 = Tensors.clips(m, batch);
    NDArray first = Tensors.firstFrames(m, batch);
    NDArray eps = rng.gaussian(m, x0.getShape());
    float[] hi = new float[batchSize];
    float[] lo = new float[batchSize];
    int n = intervals();
    for (int i = 0; i < batchSize; i++) {
      double[] pair = interval(rng.nextInt(n));
      hi[i] = (float) pair[0];
      lo[i] = (float) pair[1];
    }
    NDArray sHi = m.create(hi, new Shape(batchSize));
    NDArray sLo = m.create(lo, new Shape(batchSize));
    NDArray xHi = RectifiedFlow.noise(x0, eps, sHi);
    NDArray tgt = consistencyTarget(m, xHi, sHi, sLo, first);
    NDArray pred = ConsistencyFunction.apply(student, ps, xHi, sHi, first, true);
    return distance(pred, tgt);
  }

  /**
   * The consistency target, without gradient: one Euler step of the teacher ODE from s_hi to s_lo,
   * then the target network's consistency function at s_lo.
   */
  public NDArray consistencyTarget(
      NDManager m, NDArray xHi, NDArray sHi, NDArray sLo, NDArray first) {
    try (NoGrad ignored = NoGrad.enter()) {
      ParameterStore frozen = new ParameterStore(m, false);
      NDArray v = teacher.forward(frozen, new NDList(xHi, sHi, first), false).singletonOrThrow();
      NDArray xLo = xHi.add(v.mul(RectifiedFlow.broadcast(sLo.sub(sHi), xHi)));
      NDArray out = ConsistencyFunction.apply(target, frozen, xLo, sLo, first, false);
      // A constant for the student's graph: detached so autograd never follows it.
      return out.stopGradient();
    }
  }

  /** Mean squared error (huberC = 0) or LCM's pseudo-Huber sqrt(d^2 + c^2) - c, averaged. */
  NDArray distance(NDArray pred, NDArray tgt) {
    NDArray sq = pred.sub(tgt).square();
    if (huberC == 0) {
      return sq.mean();
    }
    return sq.add(Scalars.of(sq, huberC * huberC)).sqrt().sub(Scalars.of(sq, huberC)).mean();
  }
}
