package com.magicdistill.engine.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** VBench-style dimensions, each in [0, 1], higher is better; {@code avg} is their plain mean. */
public record VBenchScores(
    double i2vSubject,
    double subjectConsistency,
    double motionSmoothness,
    double dynamicDegree,
    double imagingQuality,
    double temporalFlickering,
    double avg) {

  /** Builds the record with {@code avg} = unweighted mean of the six dimensions. */
  public static VBenchScores of(
      double i2vSubject,
      double subjectConsistency,
      double motionSmoothness,
      double dynamicDegree,
      double imagingQuality,
      double temporalFlickering) {
    double avg =
        (i2vSubject
                + subjectConsistency
                + motionSmoothness
                + dynamicDegree
                + imagingQuality
                + temporalFlickering)
            / 6.0;
    return new VBenchScores(
        i2vSubject,
        subjectConsistency,
        motionSmoothness,
        dynamicDegree,
        imagingQuality,
        temporalFlickering,
        avg);
  }

  /** Snake-case keys, in declaration order, for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("i2v_subject", i2vSubject);
    m.put("subject_consistency", subjectConsistency);
    m.put("motion_smoothness", motionSmoothness);
    m.put("dynamic_degree", dynamicDegree);
    m.put("imaging_quality", imagingQuality);
    m.put("temporal_flickering", temporalFlickering);
    m.put("avg", avg);
    return m;
  }
}
