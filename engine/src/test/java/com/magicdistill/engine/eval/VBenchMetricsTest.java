package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.Clip;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VBenchMetricsTest {
  private final VBenchMetrics metrics = new VBenchMetrics(new HandcraftedFeaturesV1());
  private final Clip clean = TestClips.movingDisc(0);

  @Test
  void i2vSubjectPrefersClipMatchingTheCondition() {
    float[] condition = clean.frame(0);
    double matching = metrics.i2vSubject(clean, condition);
    double other = metrics.i2vSubject(TestClips.otherScene(0), condition);
    System.out.printf("i2v matching=%.4f other=%.4f%n", matching, other);
    assertTrue(matching > other + 0.1, matching + " vs " + other);
    assertTrue(matching <= 1 && other >= 0);
  }

  @Test
  void subjectConsistencyPenalisesFlickerAndShuffle() {
    double good = metrics.subjectConsistency(clean);
    double flicker = metrics.subjectConsistency(TestClips.flickering(clean, 1));
    double shuffled = metrics.subjectConsistency(TestClips.shuffled(clean, 2));
    System.out.printf("subject clean=%.4f flicker=%.4f shuffle=%.4f%n", good, flicker, shuffled);
    assertTrue(good > flicker);
    assertTrue(good > shuffled);
  }

  @Test
  void motionSmoothnessPenalisesJitterAndShuffle() {
    double good = VBenchMetrics.motionSmoothness(clean);
    double jitter = VBenchMetrics.motionSmoothness(TestClips.jittered(clean, 3));
    double shuffled = VBenchMetrics.motionSmoothness(TestClips.shuffled(clean, 2));
    System.out.printf("smooth clean=%.4f jitter=%.4f shuffle=%.4f%n", good, jitter, shuffled);
    assertTrue(good > 0.98, "clean smooth motion ~0.99, got " + good);
    assertTrue(good > jitter);
    assertTrue(good > shuffled);
  }

  @Test
  void dynamicDegreeIsOneForMovingAndZeroForFrozen() {
    List<Clip> moving = List.of(TestClips.movingDisc(0), TestClips.movingDisc(1));
    List<Clip> frozen = List.of(TestClips.frozen(moving.get(0)), TestClips.frozen(moving.get(1)));
    DynamicDegree dd = new DynamicDegree();
    assertEquals(1.0, dd.of(moving));
    assertEquals(0.0, dd.of(frozen));
    Clip noisyStill = TestClips.noisy(frozen.get(0), 0.03, 7);
    assertEquals(0.0, dd.of(List.of(noisyStill)), "pixel noise on a still scene is not motion");
    Clip noisyMoving = TestClips.noisy(moving.get(0), 0.03, 7);
    assertEquals(1.0, dd.of(List.of(noisyMoving)), "noise does not hide real motion");
  }

  @Test
  void imagingQualityPenalisesBlurAndNoise() {
    double good = ImagingQuality.of(clean);
    double blur = ImagingQuality.of(TestClips.blurred(clean));
    double noise = ImagingQuality.of(TestClips.noisy(clean, 0.08, 4));
    System.out.printf("quality clean=%.4f blur=%.4f noise=%.4f%n", good, blur, noise);
    assertTrue(good > blur);
    assertTrue(good > noise);
  }

  @Test
  void temporalFlickeringPenalisesFlicker() {
    double good = VBenchMetrics.temporalFlickering(clean);
    double bad = VBenchMetrics.temporalFlickering(TestClips.flickering(clean, 1));
    assertTrue(good > bad, good + " vs " + bad);
  }

  @Test
  void computeAveragesDimensionsInUnitRangeWithSnakeCaseKeys() {
    List<Clip> clips = new ArrayList<>();
    List<float[]> conditions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Clip c = TestClips.movingDisc(i);
      clips.add(c);
      conditions.add(c.frame(0));
    }
    VBenchScores s = metrics.compute(clips, conditions);
    double[] dims = {
      s.i2vSubject(),
      s.subjectConsistency(),
      s.motionSmoothness(),
      s.dynamicDegree(),
      s.imagingQuality(),
      s.temporalFlickering()
    };
    double sum = 0;
    for (double d : dims) {
      assertTrue(d >= 0 && d <= 1, "dimension out of range: " + d);
      sum += d;
    }
    assertEquals(sum / 6, s.avg(), 1e-12);
    assertEquals(
        List.of(
            "i2v_subject",
            "subject_consistency",
            "motion_smoothness",
            "dynamic_degree",
            "imaging_quality",
            "temporal_flickering",
            "avg"),
        new ArrayList<>(s.toMap().keySet()));
    System.out.println("vbench clean " + s.toMap());
  }
}
