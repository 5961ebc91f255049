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
 * The fake score model's update (docs/ALGORITHM.md#critic): the flow loss of W + alpha_strong dW on
 * the generator's current samples (rolled out as the generator update's are, with or without
 * backward simulation), so that the fake model tracks the generator's distribution. Only dW (and
 * the optional GAN head) trains:
 *
 * <pre>
 *   x_gen = stopgrad(G(x_in))
 *   L = || fake(x_sigma, sigma) - (eps - x_gen) ||^2
 * </pre>
 */
final class CriticObjective implements TrainingObjective {
  private final List<Clip> clips;
  private final DistillConfig cfg;
  private final Block generator;
  private final GanHead gan;

  CriticObjective(List<Clip> clips, DistillConfig cfg, Block generator, GanHead gan) {
    this.clips = clips;
    this.cfg = cfg;
    this.generator = generator;
    this.gan = gan;
  }

  @Override
  public NDArray loss(NDManager m, Block fakeBlock, long step, StepRandom rng) {
    VideoDiT score = ((FakeScore) fakeBlock).score();
    ParameterStore ps = new ParameterStore(m, false);
    ClipBatch batch = ClipBatch.sample(clips, cfg.batchSize(), rng, m);
    NDArray xGen;
    try (var noGrad = NoGrad.enter()) {
      xGen =
          GeneratorRollout.generate(generator, ps, batch, rng, false, cfg.backwardSimulation())
              .stopGradient();
    }
    NDArray sigma = GeneratorRollout.scoreSigma(cfg, batch.size(), rng, m);
    NDArray eps = rng.gaussian(m, xGen.getShape());
    NDArray xSigma = RectifiedFlow.noise(xGen, eps, sigma);
    score.loraScale().set(cfg.alphaStrong());
    NDArray v =
        score.forward(ps, new NDList(xSigma, sigma, batch.firstFrames()), true).singletonOrThrow();
    NDArray loss = v.sub(RectifiedFlow.velocityTarget(xGen, eps)).square().mean();
    if (gan != null) {
      NDArray real = gan.logits(ps, score, batch.x0(), sigma, eps, batch.firstFrames(), cfg);
      NDArray fake = gan.logits(ps, score, xGen, sigma, eps, batch.firstFrames(), cfg);
      loss =
          loss.add(
              Scalars.mul(GanHead.discriminatorLoss(real, fake), cfg.ganDiscriminatorWeight()));
    }
    return loss;
  }
}
