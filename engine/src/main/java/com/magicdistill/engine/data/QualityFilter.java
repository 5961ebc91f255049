package com.magicdistill.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Decides which clips are good enough for the portrait fine-tune set. */
public final class QualityFilter {
  private final QualityThresholds thresholds;

  public QualityFilter(QualityThresholds thresholds) {
    this.thresholds = thresholds;
  }

  public QualityFilter() {
    this(QualityThresholds.DEFAULTS);
  }

  public QualityThresholds thresholds() {
    return thresholds;
  }

  /** Measures the clip and checks every criterion of {@link QualityThresholds}. */
  public QualityVerdict assess(Clip clip) {
    double sharpness = QualityMeasures.sharpness(clip);
    double motion = QualityMeasures.motion(clip);
    double maxJump = QualityMeasures.maxJump(clip);
    double cutRatio = QualityMeasures.cutRatio(clip);
    double skin = QualityMeasures.minSkinFraction(clip);
    double flicker = QualityMeasures.flicker(clip);
    Map<String, Double> measures = new TreeMap<>();
    measures.put("sharpness", sharpness);
    measures.put("motion", motion);
    measures.put("maxJump", maxJump);
    measures.put("cutRatio", cutRatio);
    measures.put("minSkinFraction", skin);
    measures.put("flicker", flicker);

    QualityThresholds q = thresholds;
    List<String> reasons = new ArrayList<>();
    if (sharpness < q.minSharpness()) {
      reasons.add(fmt("blurry: sharpness %.5f < %.5f", sharpness, q.minSharpness()));
    }
    if (motion < q.minMotion()) {
      reasons.add(fmt("frozen: motion %.5f < %.5f", motion, q.minMotion()));
    }
    if (motion > q.maxMotion()) {
      reasons.add(fmt("chaotic: motion %.5f > %.5f", motion, q.maxMotion()));
    }
    if (maxJump >= q.minCutJump() && cutRatio > q.maxCutRatio()) {
      reasons.add(
          fmt("cut: max/median frame change %.1f > %.1f", cutRatio, q.maxCutRatio())
              + fmt(" (jump %.3f)", maxJump));
    }
    if (skin < q.minSkinFraction()) {
      reasons.add(fmt("no subject: min skin fraction %.4f < %.4f", skin, q.minSkinFraction()));
    }
    if (flicker > q.maxFlicker()) {
      reasons.add(fmt("flicker: detrended luma std %.4f > %.4f", flicker, q.maxFlicker()));
    }
    return new QualityVerdict(clip.id(), reasons.isEmpty(), reasons, measures);
  }

  /** Assesses every clip. */
  public FilterReport filter(List<LabeledClip> clips) {
    List<QualityVerdict> verdicts = new ArrayList<>(clips.size());
    for (LabeledClip c : clips) {
      verdicts.add(assess(c.clip()));
    }
    return new FilterReport(verdicts);
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
