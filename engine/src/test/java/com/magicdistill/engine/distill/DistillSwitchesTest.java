package com.magicdistill.engine.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ClipBatch;
import com.magicdistill.engine.train.StageControl;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distillation switches of issue 11 step 3: backward simulation, the regression term's fixed
 * point, the cos(g_W2S, g_DMD) measurement, the paper preset's LCM grid.
 */
class DistillSwitchesTest {

  @Test
  void theRegressionTermVanishesWhereTheGeneratorReproducesItsClip() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(2, 3, 2, 4, 4);
      NDArray xGt = m.randomNormal(shape);
      NDArray x0Real = m.randomNormal(shape);
      // fake = real: no DMD push, so only the regression term is left
      NDArray g = DmdObjective.gradient(xGt, x0Real, x0Real, xGt, 1f);
      assertEquals(0f, g.abs().max().getFloat(), 0f, "x_gen = x_gt is a fixed point");
      NDArray xGen = xGt.add(0.5f);
      float[] pushed = DmdObjective.gradient(xGen, x0Real, x0Real, xGt, 2f).toFloatArray();
      float[] norm = DmdObjective.perSampleMeanAbs(xGen.sub(x0Real)).toFloatArray();
      // d/dx_gen of w * 0.5 ||x_gen - x_gt||^2 = w (x_gen - x_gt), over the DMD normaliser
      int perSample = pushed.length / 2;
      for (int i = 0; i < pushed.length; i++) {
        assertEquals(2f * 0.5f / norm[i / perSample], pushed[i], 1e-5f, "element " + i);
      }
    }
  }

  @Test
  void backwardSimulationFeedsTheGeneratorItsOwnRolloutNotTheGroundTruth() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT g = DistributionMatchingTest.teacher(m);
      List<Clip> clips = DistributionMatchingTest.clips();
      ClipBatch a = ClipBatch.sample(clips, 4, StepRandom.forStep(1, 0, 0), m);
      // same first frames, other clips to be noised
      ClipBatch b = new ClipBatch(a.x0().mul(-1f).add(0.3f), a.firstFrames());
      float[] simA = rollout(g, a, true, m);
      float[] simB = rollout(g, b, true, m);
      assertArrayEquals(simA, simB, 0f, "simulated inputs never see x_gt");
      float[] gtA = rollout(g, a, false, m);
      float[] gtB = rollout(g, b, false, m);
      assertFalse(Arrays.equals(gtA, gtB), "noised ground truth does");
      assertFalse(Arrays.equals(gtA, simA), "the two rollouts differ");
    }
  }

  /** x_gen of a rollout at step 3 of a fixed stream (levels drawn there include k >= 1). */
  private static float[] rollout(VideoDiT g, ClipBatch batch, boolean simulate, NDManager m) {
    StepRandom rng = StepRandom.forStep(7, 3, 0);
    return GeneratorRollout.generate(g, new ParameterStore(m, false), batch, rng, false, simulate)
        .toFloatArray();
  }

  @Test
  void simulatedLevelsStartFromPureNoise() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT g = DistributionMatchingTest.teacher(m);
      ClipBatch batch =
          ClipBatch.sample(DistributionMatchingTest.clips(), 3, StepRandom.forStep(1, 0, 0), m);
      NDArray eps = m.randomNormal(batch.x0().getShape());
      int[] k = {0, 1, 3};
      NDArray xIn =
          GeneratorRollout.simulate(
              g, new ParameterStore(m, false), batch, eps, k, StepRandom.forStep(2, 0, 1));
      assertArrayEquals(eps.get(0).toFloatArray(), xIn.get(0).toFloatArray(), 0f, "k = 0: noise");
      assertFalse(Arrays.equals(eps.get(1).toFloatArray(), xIn.get(1).toFloatArray()), "k = 1");
      assertFalse(Arrays.equals(eps.get(2).toFloatArray(), xIn.get(2).toFloatArray()), "k = 3");
    }
  }

  @Test
  void aStageWithBackwardSimulationTrainsAndRecordsTheSwitch(@TempDir Path dir) throws Exception {
    DistillConfig cfg =
        DistributionMatchingTest.config(2, 0.25f, false)
            .withBackwardSimulation(true)
            .withAlignment(1, 0.25f);
    assertTrue(Json.MAPPER.valueToTree(cfg).get("backwardSimulation").asBoolean(), "recorded");
    List<GradientAlignment> seen = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(DistributionMatchingTest.teacher(m), cfg, m);
      Map<String, float[]> before = DistributionMatchingTest.snapshot(models.generator());
      var result =
          new DistributionMatching("w2s", cfg)
              .run(
                  models,
                  DistributionMatchingTest.clips(),
                  null,
                  0,
                  CheckpointedRun.<DistributionMatching.Listener>fresh(
                          new LocalDirectoryStore(dir), "w2s")
                      .listenedBy(
                          new DistributionMatching.Listener() {
                            @Override
                            public void onIteration(DistributionMatching.IterationStats s) {}

                            @Override
                            public void onAlignment(GradientAlignment a) {
                              seen.add(a);
                            }
                          }));
      assertTrue(
          moved(before, DistributionMatchingTest.snapshot(models.generator())),
          "the generator trains");
      assertEquals(result.alignments(), seen, "every measurement reaches the listener");
    }
    assertEquals(2, seen.size(), "one per update");
    for (GradientAlignment a : seen) {
      assertEquals(0.75, a.oneMinusAlpha(), 1e-9);
      assertTrue(a.cosine() >= -1 && a.cosine() <= 1, a.toString());
      assertTrue(a.normRatio() > 0, a.toString());
    }
  }

  private static boolean moved(Map<String, float[]> a, Map<String, float[]> b) {
    return a.keySet().stream().anyMatch(k -> !Arrays.equals(a.get(k), b.get(k)));
  }

  /** The measurement draws from its own seed: training with it is bit-identical to without. */
  @Test
  void measuringTheAlignmentLeavesTrainingUnchanged(@TempDir Path dir) throws Exception {
    DistillConfig plain = DistributionMatchingTest.config(2, 0.25f, false);
    Map<String, float[]> without = train(plain, dir.resolve("a"));
    Map<String, float[]> with = train(plain.withAlignment(1, 0.25f), dir.resolve("b"));
    for (var k : without.keySet()) {
      assertArrayEquals(without.get(k), with.get(k), 0f, k);
    }
  }

  private static Map<String, float[]> train(DistillConfig cfg, Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(DistributionMatchingTest.teacher(m), cfg, m);
      new DistributionMatching("w2s", cfg)
          .run(
              models,
              DistributionMatchingTest.clips(),
              null,
              0,
              new CheckpointedRun<>(
                  new LocalDirectoryStore(dir), "w2s", false, null, StageControl.NONE));
      return DistributionMatchingTest.snapshot(models.generator());
    }
  }

  @Test
  void alignmentIsCosineAndNormRatio() {
    GradientAlignment scaled =
        GradientAlignment.of(5, 0.25f, new double[] {0.75, -1.5}, new double[] {1, -2});
    assertEquals(1.0, scaled.cosine(), 1e-12, "a rescale: same direction");
    assertEquals(0.75, scaled.normRatio(), 1e-12);
    GradientAlignment orthogonal =
        GradientAlignment.of(5, 0.25f, new double[] {0, 2}, new double[] {3, 0});
    assertEquals(0.0, orthogonal.cosine(), 1e-12);
    assertTrue(Double.isNaN(GradientAlignment.of(0, 0.25f, new double[2], new double[2]).cosine()));
  }

  @Test
  void thePaperLcmTrainsLongEnoughOnAGridThatHoldsTheFourStepLevels() {
    var lcm = DistillPreset.paper().lcm();
    assertEquals(1e-4f, lcm.lr());
    assertTrue(lcm.steps() >= 1500, "steps " + lcm.steps());
    double[] grid = lcm.schedule().sigmas();
    for (double level : Arrays.copyOf(SigmaSchedule.FOUR_STEP.sigmas(), 4)) {
      assertTrue(
          Arrays.stream(grid).anyMatch(s -> Math.abs(s - level) < 1e-9),
          level + " is not on the LCM grid " + Arrays.toString(grid));
    }
  }
}
