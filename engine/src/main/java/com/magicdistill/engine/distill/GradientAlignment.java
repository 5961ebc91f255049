package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.train.ClipBatch;
import java.util.List;

/**
 * Whether W2S is more than a learning-rate change (docs/ALGORITHM.md#w2s-alignment): on a fixed
 * probe batch, the W2S and the plain DMD gradients of the same generator samples, from the same
 * score noise, compared by direction and size.
 *
 * <pre>
 *   g_DMD = (x0_fake - x0_{W})          / mean|x_gen - x0_{W}|
 *   g_W2S = (x0_fake - x0_{W + a dW})   / mean|x_gen - x0_{W + a dW}|
 *   cos = <g_W2S, g_DMD> / (|g_W2S| |g_DMD|),   ratio = |g_W2S| / |g_DMD|
 * </pre>
 *
 * With a LoRA in its linear regime g_W2S is about (1 - a) g_DMD: cos near 1 and ratio near 1 - a
 * mean W2S acts as a smaller step under Adam. Three score forwards and one generator rollout, no
 * gradient; the training's random streams are not touched.
 *
 * @param iteration generator updates done when measured
 * @param alphaWeak the a of g_W2S
 * @param cosine cos(g_W2S, g_DMD) over the whole probe batch (NaN while both are zero)
 * @param normRatio |g_W2S| / |g_DMD| (NaN while g_DMD is zero)
 */
public record GradientAlignment(long iteration, float alphaWeak, double cosine, double normRatio) {
  /** Seed offset of the fixed probe batch: its clips, levels, noise and score sigmas. */
  static final long PROBE_SEED_OFFSET = 0x5732_5350L; // "W2SP"

  /** 1 - alpha_weak: the ratio an Adam-invariant rescale would give. */
  public double oneMinusAlpha() {
    return 1.0 - alphaWeak;
  }

  /**
   * Measures on the probe batch of {@code cfg}: {@code cfg.batchSize()} training clips, rolled out
   * as training does ({@code cfg.backwardSimulation()}), drawn from the same seed at every call.
   */
  public static GradientAlignment measure(
      long iteration, VideoDiT generator, VideoDiT score, List<Clip> clips, DistillConfig cfg) {
    float alpha = cfg.alignmentAlphaWeak();
    float restore = score.loraScale().get();
    NDManager owner = generator.getParameters().valueAt(0).getArray().getManager();
    try (NDManager m = owner.newSubManager();
        var noGrad = NoGrad.enter()) {
      ParameterStore ps = new ParameterStore(m, false);
      StepRandom rng = StepRandom.forStep(cfg.seed() + PROBE_SEED_OFFSET, 0, 0);
      ClipBatch batch = ClipBatch.sample(clips, cfg.batchSize(), rng, m);
      NDArray xGen =
          GeneratorRollout.generate(generator, ps, batch, rng, false, cfg.backwardSimulation());
      NDArray sigma = GeneratorRollout.scoreSigma(cfg, batch.size(), rng, m);
      NDArray xSigma = RectifiedFlow.noise(xGen, rng.gaussian(m, xGen.getShape()), sigma);
      NDArray first = batch.firstFrames();
      NDArray x0Dmd = DmdObjective.predictX0(score, ps, xSigma, sigma, first, 0f);
      NDArray x0W2s = DmdObjective.predictX0(score, ps, xSigma, sigma, first, alpha);
      NDArray x0Fake = DmdObjective.predictX0(score, ps, xSigma, sigma, first, cfg.alphaStrong());
      double[] gDmd = toDoubles(DmdObjective.gradient(xGen, x0Dmd, x0Fake, null, 0f));
      double[] gW2s = toDoubles(DmdObjective.gradient(xGen, x0W2s, x0Fake, null, 0f));
      return of(iteration, alpha, gW2s, gDmd);
    } finally {
      score.loraScale().set(restore);
    }
  }

  /** cos and norm ratio of two flattened gradients. */
  static GradientAlignment of(long iteration, float alpha, double[] w2s, double[] dmd) {
    double dot = 0;
    double nw = 0;
    double nd = 0;
    for (int i = 0; i < w2s.length; i++) {
      dot += w2s[i] * dmd[i];
      nw += w2s[i] * w2s[i];
      nd += dmd[i] * dmd[i];
    }
    double cos = nw > 0 && nd > 0 ? dot / Math.sqrt(nw * nd) : Double.NaN;
    double ratio = nd > 0 ? Math.sqrt(nw / nd) : Double.NaN;
    return new GradientAlignment(iteration, alpha, cos, ratio);
  }

  private static double[] toDoubles(NDArray a) {
    float[] f = a.toFloatArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
