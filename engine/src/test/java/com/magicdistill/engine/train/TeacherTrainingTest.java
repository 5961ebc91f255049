package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The teacher's real training path: the video DiT under the flow-matching objective. */
class TeacherTrainingTest {
  static final ClipShape SHAPE = new ClipShape(4, 8, 8);
  static final DitConfig CFG = new DitConfig(SHAPE, 2, 4, 24, 2, 2, 2, 0, 0, Set.of());

  static List<Clip> clips() {
    return IntStream.range(0, 6)
        .mapToObj(i -> SyntheticDataset.portrait(5, i, SHAPE).clip())
        .toList();
  }

  static VideoDiT model(NDManager m, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    VideoDiT model = new VideoDiT(CFG);
    model.initialize(m);
    return model;
  }

  static TrainConfig config() {
    return new TrainConfig(8, 3e-3f, 2, 0.01f, 0.9f, 0.999f, 1e-8f, 1f, 0.9f, 100, 77L);
  }

  static Trainer trainer(VideoDiT model, LocalDirectoryStore store, String prefix) {
    return new Trainer(
            model, null, config(), new FlowMatchingObjective(clips(), 3, 1.0), store, prefix)
        .schedule(LearningRateSchedule.cosine(3e-3f, 2, 8, 3e-4f));
  }

  /** N steps straight == k steps, checkpoint, load into a fresh model, N - k steps. */
  @Test
  void resumingTheDitIsBitIdentical(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    try (NDManager mA = NDManager.newBaseManager();
        NDManager mB = NDManager.newBaseManager()) {
      VideoDiT a = model(mA, 1);
      VideoDiT b = model(mB, 1); // same initialisation as the straight run
      try (Trainer straight = trainer(a, store, "straight")) {
        straight.run();
        try (Trainer first = trainer(b, store, "interrupted")) {
          for (int i = 0; i < 3; i++) {
            first.step();
          }
          first.saveCheckpoint();
        }
        VideoDiT c = model(mB, 3); // a fresh model: everything comes from the checkpoint
        try (Trainer resumed = trainer(c, store, "interrupted")) {
          assertTrue(resumed.resumeFromLatest());
          assertEquals(3, resumed.completedSteps());
          resumed.run();
          assertExactlyEqual(ParameterArrays.parameters(a), ParameterArrays.parameters(c));
          assertExactlyEqualArrays(straight.ema().averages(), resumed.ema().averages());
          assertExactlyEqualArrays(
              straight.optimizer().secondMoments(), resumed.optimizer().secondMoments());
        }
      }
    }
  }

  /**
   * The entry point is base pretraining of a fresh model, then the fine-tune of the same model:
   * bit-identical to running the two phases by hand, checkpointed under base/ and teacher/, with
   * the fine-tune's steps counted after the base's.
   */
  @Test
  void teacherTrainingIsBasePretrainingThenTheFineTune(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    List<Clip> all = clips();
    List<Clip> kept = all.subList(0, 4);
    TrainConfig base = config().withSteps(4);
    TrainConfig tune = config().withSteps(3).withSeed(78L);
    List<String> seen = new java.util.ArrayList<>();
    TeacherTraining.Listener listener =
        (phase, cfg, offset) -> {
          seen.add(phase + "@" + offset);
          return null;
        };
    try (NDManager mA = NDManager.newBaseManager();
        NDManager mB = NDManager.newBaseManager()) {
      TeacherTraining.Result r =
          new TeacherTraining(CFG, base, tune, 3, 2, 1.0)
              .run(
                  all,
                  kept,
                  mA,
                  CheckpointedRun.<TeacherTraining.Listener>fresh(store, "entry")
                      .listenedBy(listener));
      VideoDiT byHand = VideoDiT.freshBase(CFG, base.seed(), mB);
      new TrainingPhase("base", base, 3, 1.0)
          .run(byHand, all, CheckpointedRun.fresh(store, "hand/base"));
      new TrainingPhase("teacher", tune, 2, 1.0)
          .run(byHand, kept, CheckpointedRun.fresh(store, "hand/teacher"));
      assertExactlyEqual(ParameterArrays.parameters(byHand), ParameterArrays.parameters(r.model()));
      assertEquals(List.of("base@0", "teacher@4"), seen);
      assertEquals(4, r.base().summary().completedSteps());
      assertEquals(3, r.teacher().summary().completedSteps());
      assertEquals("entry/teacher", r.teacher().checkpointPrefix());
      assertTrue(store.exists("entry/base/latest"), "no base checkpoint");
      assertEquals(7, r.allSteps().size());
    }
  }

  /**
   * docs/STACK_NOTES.md, DJL gotcha 1: a collection before backward() must not change the DiT's
   * gradients.
   */
  @Test
  void ditGradientsAreUnchangedByGarbageCollectionBeforeBackward() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = model(m, 4);
      // Perturb the zero-initialised output layers so every parameter gets a gradient.
      for (var p : model.getParameters().values()) {
        NDArray arr = p.getArray();
        arr.addi(m.randomNormal(0f, 0.05f, arr.getShape(), arr.getDataType()));
      }
      var objective = new FlowMatchingObjective(clips(), 2, 1.0);
      float[] calm = gradients(model, objective, false);
      for (int round = 0; round < 3; round++) {
        assertArrayEquals(calm, gradients(model, objective, true), 0f, "round " + round);
      }
    }
  }

  private static float[] gradients(VideoDiT model, FlowMatchingObjective objective, boolean gc) {
    model.getParameters().values().forEach(ParameterArrays::zeroGradient);
    try (NDManager step = NDManager.newBaseManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = objective.loss(step, model, 0, StepRandom.forStep(9, 0, 0));
      if (gc) {
        for (int i = 0; i < 20; i++) {
          byte[] churn = new byte[1 << 20];
          churn[i] = 1;
        }
        System.gc();
        System.gc();
      }
      collector.backward(loss);
    }
    return model.getParameters().values().stream()
        .map(p -> p.getArray().getGradient().toFloatArray())
        .reduce(
            new float[0],
            (x, y) -> {
              float[] out = java.util.Arrays.copyOf(x, x.length + y.length);
              System.arraycopy(y, 0, out, x.length, y.length);
              return out;
            });
  }

  /**
   * docs/STACK_NOTES.md, DJL gotcha 2, for the DiT: training steps and sampling leave nothing
   * behind in the model's long-lived manager, and a sampler keeps only one array per step in the
   * caller's manager.
   */
  @Test
  void trainingAndSamplingLeaveNoArraysBehind() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = model(m, 6);
      int[] counts = new int[2];
      try (Trainer t =
          new Trainer(
              model, null, config(), new FlowMatchingObjective(clips(), 2, 1.0), null, null)) {
        t.addListener(
            s -> {
              if (s.step() == 1) {
                counts[0] = m.getManagedArrays().size();
              }
            });
        t.run();
        counts[1] = m.getManagedArrays().size();
      }
      assertEquals(counts[0], counts[1], "arrays in the model's manager after steps 2 and 8");
      try (NDManager call = NDManager.newBaseManager()) {
        var sampler =
            new com.magicdistill.engine.sample.EulerSampler(
                model, new com.magicdistill.engine.sample.SigmaSchedule(10, 3));
        NDArray noise = call.randomNormal(new ai.djl.ndarray.types.Shape(2, 3, 4, 8, 8));
        NDArray first = call.randomNormal(new ai.djl.ndarray.types.Shape(2, 3, 8, 8));
        sampler.sample(noise, first);
        assertTrue(
            call.getManagedArrays().size() <= 2 + 10,
            "sampling kept " + call.getManagedArrays().size() + " arrays for 10 steps");
      }
      assertEquals(counts[1], m.getManagedArrays().size(), "sampling added arrays to the model");
    }
  }

  @Test
  void emptyTrainingDataFailsNamingTheFix() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new FlowMatchingObjective(List.of(), 2, 1.0));
    assertTrue(e.getMessage().contains("training data is empty"), e.getMessage());
  }

  private static void assertExactlyEqual(
      Map<String, ai.djl.nn.Parameter> a, Map<String, ai.djl.nn.Parameter> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(
          a.get(k).getArray().toFloatArray(), b.get(k).getArray().toFloatArray(), 0f, k);
    }
  }

  private static void assertExactlyEqualArrays(Map<String, NDArray> a, Map<String, NDArray> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 0f, k);
    }
  }
}
