package com.magicdistill.engine;

import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistillationStages;
import com.magicdistill.engine.distill.lcm.LcmConfig;
import com.magicdistill.engine.model.DitConfig;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Settings of the distillation stages (docs/ALGORITHM.md#dmd-lora, #w2s, #lcm-baseline) on top of a
 * teacher preset.
 *
 * @param teacher data, architecture, teacher training and evaluation protocol
 * @param dmd the DMD-LoRA stage (plain DMD2: alphaWeak is ignored there and set to 0)
 * @param w2sIterations generator updates of the W2S stage, and of the plain-DMD control arm that
 *     runs beside it from the same starting point
 * @param alphaWeak LoRA scale on the real model in W2S (0.25 in the paper)
 * @param lcm the LCM baseline
 * @param probeEvery generator updates between fd_clip probes of the curves
 * @param probeClips held-out clips per probe
 */
public record DistillPreset(
    EnginePreset teacher,
    DistillConfig dmd,
    int w2sIterations,
    float alphaWeak,
    LcmConfig lcm,
    int probeEvery,
    int probeClips) {

  public DistillPreset {
    ConfigException.require(
        w2sIterations > 0, "w2sIterations", "be > 0", w2sIterations, "a positive count");
  }

  /** The DMD-LoRA and W2S stages of this preset. */
  public DistillationStages stages() {
    return DistillationStages.of(dmd, alphaWeak, w2sIterations);
  }

  public DistillPreset withAlphaWeak(float a) {
    return new DistillPreset(teacher, dmd, w2sIterations, a, lcm, probeEvery, probeClips);
  }

  /** The preset with {@code n} generator updates in the W2S stage and each arm beside it. */
  public DistillPreset withW2sIterations(int n) {
    return new DistillPreset(teacher, dmd, n, alphaWeak, lcm, probeEvery, probeClips);
  }

  /** The preset with fd_clip probes of the curves every {@code n} generator updates. */
  public DistillPreset withProbeEvery(int n) {
    return new DistillPreset(teacher, dmd, w2sIterations, alphaWeak, lcm, n, probeClips);
  }

  public DistillPreset withGeneratorLr(float lr) {
    return new DistillPreset(
        teacher, dmd.withGeneratorLr(lr), w2sIterations, alphaWeak, lcm, probeEvery, probeClips);
  }

  public static DistillPreset smoke() {
    return new DistillPreset(
        EnginePreset.smoke(), dmd(12, 2, 6, 6), 12, 0.25f, lcm(20, 2, 2e-5f, 3.0), 6, 8);
  }

  /**
   * Two updates per stage on the tiny teacher (a checkpoint, a probe and an alignment reading
   * each): the shape of the results, in a fraction of smoke, for every training seed.
   */
  public static DistillPreset tiny() {
    return new DistillPreset(
        EnginePreset.tiny(), dmd(2, 2, 2, 2), 2, 0.25f, lcm(4, 2, 2e-5f, 3.0), 2, 4);
  }

  /**
   * The committed benchmark's distillation. LCM is the fair baseline of
   * docs/ALGORITHM.md#lcm-baseline: shift 5, so the 4-step levels .9375/.8333/.625 are points 7, 14
   * and 21 of its 28-interval grid, lr 1e-4 and 1500 steps, long enough for consistency to
   * propagate from sigma 0 to 1 (the rows before this used shift 3, lr 2e-5, 400 steps).
   */
  public static DistillPreset paper() {
    return new DistillPreset(
        EnginePreset.paper(), dmd(200, 2, 50, 50), 400, 0.25f, lcm(1500, 4, 1e-4f, 5.0), 50, 32);
  }

  /**
   * The paper preset's stages on the {@link EnginePreset#paperV2()} teacher, with the distillation
   * settings issue 11 step 3 chose for the collapse study's positive control
   * (docs/EVALUATION.md#collapse-study): generator lr 5e-5 with Adam beta1 0.9 (the paper preset's
   * 2e-5 with beta1 0 moves the weights too little), score shift 3; critic lr 1e-4, rank 8, 5
   * critic updates per generator update, batch 2, backward simulation and the GAN term off, the
   * fixed regression term (docs/ALGORITHM.md#optional-terms) for the regression row, and the fair
   * LCM baseline. The collapse study's lengths: a 300-update DMD-LoRA stage, then 2000 updates per
   * arm (with 400, distillation stops long before it recovers the motion; docs/EVALUATION.md
   * sections 8 and 11 of step 2).
   */
  public static DistillPreset paperV2() {
    DistillPreset p = paper();
    return new DistillPreset(
        EnginePreset.paperV2(),
        p.dmd().withGeneratorLr(5e-5f).withBeta1(0.9f).withScoreShift(3.0).withIterations(300),
        2000,
        p.alphaWeak(),
        p.lcm(),
        p.probeEvery(),
        p.probeClips());
  }

  /** The same stages with another DMD-LoRA config (W2S and the control arms follow it). */
  public DistillPreset withDmd(DistillConfig newDmd) {
    return new DistillPreset(
        teacher, newDmd, w2sIterations, alphaWeak, lcm, probeEvery, probeClips);
  }

  /** Plain DMD2 settings; cos(g_W2S, g_DMD) is measured every {@code alignmentEvery} updates. */
  private static DistillConfig dmd(
      int iterations, int batch, int checkpointEvery, int alignmentEvery) {
    return new DistillConfig(
        iterations,
        5,
        batch,
        2e-5f,
        1e-4f,
        0f,
        0.999f,
        0.99f,
        1f,
        8,
        DitConfig.DEFAULT_TARGETS,
        0f,
        1f,
        0.02,
        0.98,
        1.0,
        false,
        false,
        1f,
        false,
        5e-3f,
        1e-2f,
        alignmentEvery,
        0.25f,
        checkpointEvery,
        31);
  }

  private static LcmConfig lcm(int steps, int batch, float lr, double shift) {
    return new LcmConfig(steps, lr, batch, 28, 1, shift, 0.95f, 0.0, Math.max(1, steps / 5), 41);
  }

  public static final Map<String, Supplier<DistillPreset>> PRESETS =
      new TreeMap<>(
          Map.of(
              "tiny",
              DistillPreset::tiny,
              "smoke",
              DistillPreset::smoke,
              "paper",
              DistillPreset::paper,
              "paper-v2",
              DistillPreset::paperV2));

  public static DistillPreset byName(String name) {
    var p = PRESETS.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "preset: unknown preset '" + name + "'; choose one of " + PRESETS.keySet());
    }
    return p.get();
  }
}
