package com.magicdistill.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.engine.train.AdamW;
import com.magicdistill.engine.train.ClipBatch;
import com.magicdistill.engine.train.Ema;
import com.magicdistill.engine.train.GradientClipping;
import com.magicdistill.engine.train.ParameterArrays;
import com.magicdistill.engine.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rough split of the teacher's training step, for the efficiency report: the steps of the
 * trainer's loop (batch and noise, forward and loss, backward, clipping + AdamW + EMA + zeroing)
 * timed one by one on a fresh model of the preset's architecture, after the benchmark's own
 * measurements (it changes nothing they report). libtorch runs CPU ops eagerly, so each phase's
 * wall time is its own.
 */
final class TrainStepProfile {
  static final int WARMUP = 3;
  static final int STEPS = 10;

  private TrainStepProfile() {}

  /**
   * Median milliseconds per step of data, forward, backward, optimizer, and their sum; 1 + 2 steps
   * on the tiny preset (tests check the shape of the results, not the timings).
   */
  static Map<String, Double> run(EnginePreset preset, List<Clip> clips) {
    boolean tiny = "tiny".equals(preset.name());
    return run(preset, clips, tiny ? 1 : WARMUP, tiny ? 2 : STEPS);
  }

  static Map<String, Double> run(EnginePreset preset, List<Clip> clips, int warmup, int steps) {
    TrainConfig cfg = preset.finetune();
    int b = preset.batchSize();
    double[][] ms = new double[4][steps];
    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT model = VideoDiT.freshBase(preset.model(), cfg.seed(), root);
      AdamW adam = AdamW.of(model, cfg, root);
      Ema ema = new Ema(model, cfg.emaDecay(), root);
      Map<String, Parameter> trainable = ParameterArrays.trainable(model);
      for (int s = 0; s < warmup + steps; s++) {
        try (NDManager m = root.newSubManager()) {
          long t0 = System.nanoTime();
          StepRandom rng = StepRandom.forStep(cfg.seed(), s, 0);
          ClipBatch batch = ClipBatch.sample(clips, b, rng, m);
          NDArray eps = rng.gaussian(m, batch.x0().getShape());
          float[] sigmas = new float[b];
          for (int i = 0; i < b; i++) {
            double u = rng.nextGaussian();
            sigmas[i] = (float) preset.trainSampling().sigma(u);
          }
          NDArray sigma = m.create(sigmas, new Shape(b));
          NDArray xSigma = RectifiedFlow.noise(batch.x0(), eps, sigma);
          NDArray target = RectifiedFlow.velocityTarget(batch.x0(), eps);
          long t1 = System.nanoTime();
          long t2;
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray v =
                model
                    .forward(
                        new ParameterStore(m, false),
                        new NDList(xSigma, sigma, batch.firstFrames()),
                        true)
                    .singletonOrThrow();
            NDArray loss = v.sub(target).square().mean();
            t2 = System.nanoTime();
            collector.backward(loss);
          }
          long t3 = System.nanoTime();
          GradientClipping.clipGlobalNorm(trainable.values(), cfg.gradClip());
          adam.step(cfg.lr(), m);
          ema.update(m);
          for (Parameter p : trainable.values()) {
            ParameterArrays.zeroGradient(p);
          }
          long t4 = System.nanoTime();
          if (s >= warmup) {
            long[] t = {t0, t1, t2, t3, t4};
            for (int k = 0; k < 4; k++) {
              ms[k][s - warmup] = (t[k + 1] - t[k]) / 1e6;
            }
          }
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    String[] names = {"data", "forward", "backward", "optimizer"};
    double sum = 0;
    for (int k = 0; k < 4; k++) {
      double med = Median.of(ms[k]);
      out.put(names[k], med);
      sum += med;
    }
    out.put("sum", sum);
    return out;
  }
}
