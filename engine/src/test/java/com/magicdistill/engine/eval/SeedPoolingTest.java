package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.Clip;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A method trained with several seeds, pooled into one row (docs/EVALUATION.md#training-seeds): one
 * seed gives exactly the single-run figures and intervals, and every seed's clips count in the
 * pooled values and intervals.
 */
class SeedPoolingTest {
  private static final FeatureExtractor FX = new HandcraftedFeaturesV1();
  private static final List<Clip> REAL = PortraitClips.HELD_OUT_16.subList(0, 8);
  private static final List<float[]> FIRST = REAL.stream().map(c -> c.frame(0)).toList();
  private static final DynamicDegreeCalibration CAL = DynamicDegreeCalibration.on(REAL);

  private static SeedRun seed(List<Clip> generated) {
    return Evaluation.evaluateSeed(FX, generated, REAL, FIRST, 4, 1.0, CAL);
  }

  private static List<Clip> noisy(long seed) {
    List<Clip> out = new ArrayList<>();
    for (int i = 0; i < REAL.size(); i++) {
      out.add(TestClips.noisy(REAL.get(i), 0.03, seed * 100 + i));
    }
    return out;
  }

  @Test
  void oneSeedGivesTheSingleRunFiguresAndIntervals() {
    Bootstrap b = new Bootstrap(200, 3);
    List<Clip> generated = Anchors.temporallyBlurred(REAL);
    MethodMetrics single = Evaluation.evaluate(FX, generated, REAL, FIRST, 4, 1.0, CAL, b);
    SeedPooling.Pooled pooled = SeedPooling.pool(List.of(seed(generated)), b);
    MethodMetrics m = pooled.metrics();
    assertEquals(1, pooled.seeds());
    assertEquals(single.fdFrame(), m.fdFrame(), 0.0);
    assertEquals(single.fdClip(), m.fdClip(), 0.0);
    assertEquals(single.motionRatio(), m.motionRatio(), 0.0);
    assertEquals(single.vbench(), m.vbench());
    for (String k : new String[] {"fd_clip", "motion_ratio", "dynamic_degree"}) {
      assertEquals(single.ci95().get(k), m.ci95().get(k), k);
    }
    assertTrue(!m.ci95().containsKey("fd_frame"), "no fd_frame interval when pooled");
  }

  @Test
  void everySeedCountsInTheValuesAndTheIntervals() {
    // Two seeds that reproduce the real clips' motion, one that freezes on the first frame.
    List<SeedRun> runs =
        List.of(seed(noisy(1)), seed(noisy(2)), seed(Anchors.firstFrameRepeated(REAL)));
    Bootstrap b = new Bootstrap(1000, 7);
    SeedPooling.Pooled pooled = SeedPooling.pool(runs, b);
    MethodMetrics m = pooled.metrics();
    assertEquals(3, pooled.seeds());
    double[] fd = runs.stream().mapToDouble(r -> r.points().fdClip()).toArray();
    double[] motion = runs.stream().mapToDouble(r -> r.points().motionRatio()).toArray();
    assertEquals((fd[0] + fd[1] + fd[2]) / 3, m.fdClip(), 1e-12);
    assertEquals((motion[0] + motion[1] + motion[2]) / 3, m.motionRatio(), 1e-12);
    assertEquals(m.fdClip(), m.ci95().get("fd_clip").value(), 0.0);
    assertEquals(m.motionRatio(), m.ci95().get("motion_ratio").value(), 0.0);
    assertEquals(0.0, motion[2], 1e-12, "the frozen seed does not move");
    assertTrue(motion[0] > 0.5 && motion[1] > 0.5, motion[0] + " " + motion[1]);

    // The interval over seeds reaches the frozen seed's side (three draws of it: 1/27 > 2.5%),
    // which the two moving seeds alone never do.
    Interval all = m.ci95().get("motion_ratio");
    Interval moving = SeedPooling.pool(runs.subList(0, 2), b).metrics().ci95().get("motion_ratio");
    System.out.println("motion ratio over 3 seeds " + all + ", over the 2 moving ones " + moving);
    assertTrue(all.lo() < 0.5 * Math.min(motion[0], motion[1]), all.toString());
    assertTrue(moving.lo() > all.lo() + 0.3, moving + " vs " + all);
    Interval fdAll = m.ci95().get("fd_clip");
    Interval fdMoving = SeedPooling.pool(runs.subList(0, 2), b).metrics().ci95().get("fd_clip");
    assertTrue(fdAll.hi() > fdMoving.hi(), fdAll + " vs " + fdMoving);
  }

  @Test
  void seedsMustScoreTheSameClips() {
    SeedRun eight = seed(noisy(1));
    List<Clip> fewer = REAL.subList(0, 4);
    SeedRun four =
        Evaluation.evaluateSeed(
            FX,
            Anchors.temporallyBlurred(fewer),
            fewer,
            fewer.stream().map(c -> c.frame(0)).toList(),
            4,
            1.0,
            CAL);
    assertThrows(
        IllegalArgumentException.class,
        () -> SeedPooling.pool(List.of(eight, four), new Bootstrap()));
  }
}
