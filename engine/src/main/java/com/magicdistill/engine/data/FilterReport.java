package com.magicdistill.engine.data;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter's verdicts on a list of clips, in input order.
 *
 * @param verdicts one verdict per clip
 */
public record FilterReport(List<QualityVerdict> verdicts) {
  public FilterReport {
    verdicts = List.copyOf(verdicts);
  }

  /** Verdict of the clip with this id, or null. */
  public QualityVerdict verdict(String clipId) {
    for (QualityVerdict v : verdicts) {
      if (v.clipId().equals(clipId)) {
        return v;
      }
    }
    return null;
  }

  public long keptCount() {
    return verdicts.stream().filter(QualityVerdict::kept).count();
  }

  /**
   * Precision and recall of rejecting poor clips against the labels (matched by clip id; every
   * labelled clip must have a verdict).
   */
  public PrecisionRecall precisionRecall(List<LabeledClip> labels) {
    Map<String, QualityVerdict> byId = byId();
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    for (LabeledClip c : labels) {
      boolean rejected = !require(byId, c.id()).kept();
      if (c.poor()) {
        if (rejected) {
          tp++;
        } else {
          fn++;
        }
      } else if (rejected) {
        fp++;
      } else {
        tn++;
      }
    }
    return new PrecisionRecall(tp, fp, fn, tn);
  }

  /** For each defect (NONE included), the fraction of its clips that were rejected. */
  public Map<Defect, Double> rejectionRateByDefect(List<LabeledClip> labels) {
    Map<String, QualityVerdict> byId = byId();
    Map<Defect, int[]> counts = new EnumMap<>(Defect.class);
    for (LabeledClip c : labels) {
      int[] n = counts.computeIfAbsent(c.defect(), d -> new int[2]);
      n[1]++;
      if (!require(byId, c.id()).kept()) {
        n[0]++;
      }
    }
    Map<Defect, Double> out = new EnumMap<>(Defect.class);
    counts.forEach((d, n) -> out.put(d, (double) n[0] / n[1]));
    return out;
  }

  private Map<String, QualityVerdict> byId() {
    Map<String, QualityVerdict> m = new HashMap<>();
    for (QualityVerdict v : verdicts) {
      m.put(v.clipId(), v);
    }
    return m;
  }

  private static QualityVerdict require(Map<String, QualityVerdict> byId, String id) {
    QualityVerdict v = byId.get(id);
    if (v == null) {
      throw new IllegalArgumentException("no verdict for clip " + id);
    }
    return v;
  }
}
