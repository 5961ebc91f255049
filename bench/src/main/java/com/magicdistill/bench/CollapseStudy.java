package com.magicdistill.bench;

import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.distill.DistillConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the collapse study (docs/EVALUATION.md#collapse-study): a DMD-LoRA start of {@code
 * startIterations}, then three arms of {@code armIterations} each from its final state: plain DMD,
 * W2S at {@code alphaWeak}, and plain DMD at the learning rate that matches W2S's effective step
 * ({@link #lrMatchRatio()}).
 *
 * @param preset teacher preset (data, held-out clips) and the distillation defaults
 * @param start the DMD-LoRA start's config; the arms continue with its settings
 * @param armIterations generator updates of each arm
 * @param alphaWeak the W2S arm's LoRA scale on the real model
 * @param probeEvery generator updates between probes (curves and cos(g_W2S, g_DMD))
 * @param probeClips held-out clips per probe (their first frames condition the generator)
 */
record CollapseStudy(
    DistillPreset preset,
    DistillConfig start,
    int armIterations,
    float alphaWeak,
    int probeEvery,
    int probeClips) {

  static final String DMD = "dmd";
  static final String W2S = "w2s";
  static final String DMD_LR_MATCHED = "dmd_lr_matched";

  /**
   * tiny: a few updates on the tiny teacher (the results' shape, in seconds). paper: the positive
   * control of docs/EVALUATION.md#collapse-study: generator lr 5e-5 with Adam beta1 0.9 (the
   * committed 2e-5 / beta1 0 moves the weights too little to collapse), score shift 3, a 300-update
   * DMD-LoRA start, 2000 updates per arm, a probe every 100 on all 64 held-out clips.
   */
  static CollapseStudy forPreset(String name) {
    DistillPreset p = DistillPreset.byName(name);
    return switch (name) {
      case "tiny" -> new CollapseStudy(p, positiveControl(p.dmd(), 2), 2, 0.25f, 2, 4);
      case "paper" ->
          new CollapseStudy(
              p, positiveControl(p.dmd(), 300), 2000, 0.25f, 100, p.teacher().heldOutClips());
      default ->
          throw new IllegalArgumentException(
              "preset: the collapse study has presets tiny and paper, not '" + name + "'");
    };
  }

  private static DistillConfig positiveControl(DistillConfig dmd, int startIterations) {
    return dmd.plainDmd()
        .withIterations(startIterations)
        .withGeneratorLr(5e-5f)
        .withBeta1(0.9f)
        .withScoreShift(3.0);
  }

  /** The same study on another teacher preset's data (e.g. the one the teacher was trained on). */
  CollapseStudy onTeacherPreset(EnginePreset teacher) {
    DistillPreset p =
        new DistillPreset(
            teacher,
            preset.dmd(),
            preset.w2sIterations(),
            preset.alphaWeak(),
            preset.lcm(),
            preset.probeEvery(),
            preset.probeClips());
    return new CollapseStudy(
        p,
        start,
        armIterations,
        alphaWeak,
        probeEvery,
        Math.min(probeClips, teacher.heldOutClips()));
  }

  CollapseStudy withStart(DistillConfig newStart) {
    return new CollapseStudy(preset, newStart, armIterations, alphaWeak, probeEvery, probeClips);
  }

  /** The three arms' configs, in the order they run. */
  Map<String, DistillConfig> arms() {
    DistillConfig plain =
        start.plainDmd().withIterations(armIterations).withAlignment(probeEvery, alphaWeak);
    Map<String, DistillConfig> arms = new LinkedHashMap<>();
    arms.put(DMD, plain);
    arms.put(W2S, plain.withAlphaWeak(alphaWeak));
    arms.put(DMD_LR_MATCHED, plain.withGeneratorLr((float) (start.generatorLr() * lrMatchRatio())));
    return arms;
  }

  /**
   * W2S's mean effective step over the arm relative to DMD's (docs/EVALUATION.md#collapse-study,
   * after the fidelity review's section 4.1): with the LoRA in its linear regime g_W2S = (1 - a)
   * g_DMD, and W2S inherits the DMD start's Adam second moment v, so after k updates Adam's step is
   * (1 - a) / sqrt(beta2^k + (1 - beta2^k) (1 - a)^2) of DMD's; the mean over k = 1..armIterations
   * is the lr factor of the matched DMD arm.
   */
  double lrMatchRatio() {
    double sum = 0;
    for (int k = 1; k <= armIterations; k++) {
      sum += stepRatio(k);
    }
    return sum / armIterations;
  }

  /** The step ratio after {@code k} W2S updates. */
  double stepRatio(int k) {
    double a = 1.0 - alphaWeak;
    double b2k = Math.pow(start.beta2(), k);
    return a / Math.sqrt(b2k + (1 - b2k) * a * a);
  }

  /** How the matched lr was derived, for the results. */
  Map<String, Object> lrMatching() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "formula",
        "mean over k = 1..K of (1 - alpha) / sqrt(beta2^k + (1 - beta2^k) (1 - alpha)^2):"
            + " W2S's Adam step relative to DMD's when g_W2S = (1 - alpha) g_DMD and W2S starts"
            + " from the DMD-LoRA start's second moments");
    m.put("alpha_weak", alphaWeak);
    m.put("beta2", start.beta2());
    m.put("arm_iterations", armIterations);
    m.put("step_ratio_first", stepRatio(1));
    m.put("step_ratio_last", stepRatio(armIterations));
    m.put("lr_ratio", lrMatchRatio());
    m.put("generator_lr", start.generatorLr());
    m.put("matched_generator_lr", arms().get(DMD_LR_MATCHED).generatorLr());
    return m;
  }

  /** Generator updates of the whole study. */
  int totalIterations() {
    return start.iterations() + 3 * armIterations;
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "start %d, arms %d x 3, probe every %d on %d clips",
        start.iterations(),
        armIterations,
        probeEvery,
        probeClips);
  }
}
