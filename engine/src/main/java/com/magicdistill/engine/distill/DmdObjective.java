package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.model.Scalars;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.train.ClipBatch;
import com.magicdistill.engine.train.TrainingObjective;
import java.util.List;

/**
 * The generator's distribution-matching loss (docs/ALGORITHM.md#dmd-gradient, #w2s):
 *
 * <pre>
 *   x_sigma = (1 - sigma) x_gen + sigma eps'                 (fresh noise, no gradient)
 *   x0_real = real(x_sigma), x0_fake = fake(x_sigma)         (no gradient)
 *   g = (x0_fake - x0_real) / mean|x_gen - x0_real|          (per sample)
 *   L = 0.5 * MSE(x_gen, stopgrad(x_gen - g))                (dL/dx_gen is proportional to g)
 * </pre>
 *
 * real and fake are one network, the frozen teacher W with the shared LoRA dW, evaluated at two
 * LoRA scales: plain DMD2 uses real = W (scale 0), W2S uses real = W + alpha_weak dW; fake is
 * always W + alpha_strong dW. With {@code regression} the gradient of 0.5 ||x_gen - x_gt||^2 is
 * added under the same normalisation (docs/ALGORITHM.md#optional-terms):
 *
 * <pre>
 *   g = ((x0_fake - x0_real) + w_reg (x_gen - x_gt)) / mean|x_gen - x0_real|
 * </pre>
 *
 * so the term vanishes where the generator reproduces the clip it was given.
 */
final class DmdObjective implements TrainingObjective {
  private final List<Clip> clips;
  private final DistillConfig cfg;
  private final VideoDiT score;
  private final GanHead gan;

  DmdObjective(List<Clip> clips, DistillConfig cfg, VideoDiT score, GanHead gan) {
    this.clips = clips;
    this.cfg = cfg;
    this.score = score;
    this.gan = gan;
  }

  @Override
  public NDArray loss(NDManager m, Block generator, long step, StepRandom rng) {
    ParameterStore ps = new ParameterStore(m, false);
    ClipBatch batch = ClipBatch.sample(clips, cfg.batchSize(), rng, m);
    NDArray xGen =
        GeneratorRollout.generate(generator, ps, batch, rng, true, cfg.backwardSimulation());
    NDArray sigma = GeneratorRollout.scoreSigma(cfg, batch.size(), rng, m);
    NDArray eps = rng.gaussian(m, xGen.getShape());
    NDArray target;
    NDArray xSigma;
    try (var noGrad = NoGrad.enter()) {
      NDArray xGenConst = xGen.stopGradient();
      xSigma = RectifiedFlow.noise(xGenConst, eps, sigma);
      NDArray x0Real = predictX0(ps, xSigma, sigma, batch.firstFrames(), cfg.alphaWeak());
      NDArray x0Fake = predictX0(ps, xSigma, sigma, batch.firstFrames(), cfg.alphaStrong());
      NDArray g =
          gradient(
              xGenConst,
              x0Real,
              x0Fake,
              cfg.regression() ? batch.x0() : null,
              cfg.regressionWeight());
      target = xGenConst.sub(g);
    }
    NDArray loss = Scalars.mul(xGen.sub(target).square().mean(), 0.5);
    if (gan != null) {
      NDArray fakeLogits = gan.logits(ps, score, xGen, sigma, eps, batch.firstFrames(), cfg);
      loss = loss.add(Scalars.mul(GanHead.generatorLoss(fakeLogits), cfg.ganGeneratorWeight()));
    }
    return loss;
  }

  /**
   * The generator's gradient in sample space (docs/ALGORITHM.md#dmd-gradient): the DMD gradient
   * and, when {@code xGt} is given, {@code regressionWeight} times the gradient of 0.5 ||x_gen -
   * x_gt||^2 (#optional-terms), both over the DMD gradient's per-sample normaliser.
   */
  static NDArray gradient(
      NDArray xGen, NDArray x0Real, NDArray x0Fake, NDArray xGt, float regressionWeight) {
    NDArray g = x0Fake.sub(x0Real);
    if (xGt != null) {
      g = g.add(Scalars.mul(xGen.sub(xGt), regressionWeight));
    }
    return g.div(perSampleMeanAbs(xGen.sub(x0Real)));
  }

  private NDArray predictX0(
      ParameterStore ps, NDArray xSigma, NDArray sigma, NDArray first, float alpha) {
    return predictX0(score, ps, xSigma, sigma, first, alpha);
  }

  /** x0_hat of the score network at LoRA scale {@code alpha}. */
  static NDArray predictX0(
      VideoDiT score,
      ParameterStore ps,
      NDArray xSigma,
      NDArray sigma,
      NDArray first,
      float alpha) {
    score.loraScale().set(alpha);
    NDArray v = score.forward(ps, new NDList(xSigma, sigma, first), false).singletonOrThrow();
    return RectifiedFlow.x0FromVelocity(xSigma, v, sigma);
  }

  /** mean over all but the batch axis of |x|, shaped (B, 1, 1, 1, 1), floored at 1e-6. */
  static NDArray perSampleMeanAbs(NDArray x) {
    long b = x.getShape().get(0);
    NDArray mean = x.abs().reshape(b, -1).mean(new int[] {1});
    return RectifiedFlow.broadcast(Scalars.add(mean, 1e-6), x);
  }
}
