package com.magicdistill.engine.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.Prediction;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ParameterArrays;
import com.magicdistill.engine.train.StageControl;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionMatchingTest {
  static final ClipShape SHAPE = new ClipShape(4, 8, 8);

  static List<Clip> clips() {
    return IntStream.range(0, 6)
        .mapToObj(i -> SyntheticDataset.portrait(3, i, SHAPE).clip())
        .toList();
  }

  static DistillConfig config(int iterations, float alphaWeak, boolean gan) {
    return new DistillConfig(
        iterations,
        2,
        2,
        1e-3f,
        1e-3f,
        0f,
        0.999f,
        0.9f,
        1f,
        4,
        DitConfig.DEFAULT_TARGETS,
        alphaWeak,
        1f,
        0.02,
        0.98,
        1.0,
        false,
        false,
        1f,
        gan,
        5e-3f,
        1e-2f,
        0,
        0.25f,
        2,
        11L);
  }

  /** Runs a fresh W2S stage of {@code cfg} on {@code models}, checkpointing under {@code dir}. */
  static void runW2s(DistillModels models, DistillConfig cfg, Path dir) throws Exception {
    new DistributionMatching("w2s", cfg)
        .run(
            models,
            clips(),
            null,
            0,
            new CheckpointedRun<>(
                new LocalDirectoryStore(dir), "w2s", false, null, StageControl.NONE));
  }

  /** A non-trivial teacher (a fresh DiT outputs exactly zero: adaLN-Zero). */
  static VideoDiT teacher(NDManager m) {
    return teacher(m, new DitConfig(SHAPE, 2, 4, 24, 2, 2, 2, 0, 0, Set.of()));
  }

  static VideoDiT teacher(NDManager m, DitConfig cfg) {
    Engine.getInstance().setRandomSeed(5);
    VideoDiT t = new VideoDiT(cfg);
    t.initialize(m);
    for (var p : t.getParameters().values()) {
      NDArray a = p.getArray();
      a.addi(m.randomNormal(0f, 0.05f, a.getShape(), a.getDataType()));
    }
    return t;
  }

  static Map<String, float[]> snapshot(ai.djl.nn.Block b) {
    Map<String, float[]> out = new HashMap<>();
    ParameterArrays.parameters(b).forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
    return out;
  }

  @Test
  void fakeScoreStartsEqualToTheRealModelAtEveryScale() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT t = teacher(m);
      DistillModels models = DistillModels.fromTeacher(t, config(1, 0.25f, false), m);
      NDList in =
          new NDList(
              m.randomNormal(new Shape(2, 3, 4, 8, 8)),
              m.create(new float[] {0.3f, 0.8f}),
              m.randomNormal(new Shape(2, 3, 8, 8)));
      float[] real = t.forward(new ParameterStore(m, false), in, false).head().toFloatArray();
      for (float scale : new float[] {0f, 0.25f, 1f}) {
        models.fake().score().loraScale().set(scale);
        float[] fake =
            models.fake().forward(new ParameterStore(m, false), in, false).head().toFloatArray();
        assertArrayEquals(real, fake, 0f, "LoRA B starts at zero, scale " + scale);
      }
    }
  }

  @Test
  void anIterationTrainsGeneratorAndLoraButNeverTheTeacherWeights(@TempDir Path dir)
      throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT t = teacher(m);
      DistillModels models = DistillModels.fromTeacher(t, config(2, 0.25f, true), m);
      Map<String, float[]> gen0 = snapshot(models.generator());
      Map<String, float[]> fake0 = snapshot(models.fake());
      runW2s(models, config(2, 0.25f, true), dir);
      Map<String, float[]> gen1 = snapshot(models.generator());
      Map<String, float[]> fake1 = snapshot(models.fake());
      boolean generatorMoved = false;
      for (var k : gen0.keySet()) {
        generatorMoved |= !java.util.Arrays.equals(gen0.get(k), gen1.get(k));
      }
      assertTrue(generatorMoved, "the generator trains");
      int loraMoved = 0;
      for (var e : ParameterArrays.parameters(models.fake()).entrySet()) {
        boolean moved = !java.util.Arrays.equals(fake0.get(e.getKey()), fake1.get(e.getKey()));
        if (VideoDiT.isLoraParameter(e.getValue())) {
          loraMoved += moved ? 1 : 0;
        } else if (e.getKey().contains("score")) {
          assertFalse(moved, "frozen teacher weight " + e.getKey() + " changed");
        }
      }
      assertTrue(loraMoved > 0, "the LoRA trains");
    }
  }

  @Test
  void anX0TeacherWithAPatchSkipIsDistilledIntoModelsOfItsOwnKind(@TempDir Path dir)
      throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      DitConfig x0 =
          new DitConfig(SHAPE, 2, 4, 24, 2, 2, 2, 0, 0, Set.of())
              .withPrediction(Prediction.X0)
              .withPatchSkip(true);
      DistillModels models = DistillModels.fromTeacher(teacher(m, x0), config(2, 0.25f, false), m);
      assertEquals(x0, models.generator().config());
      assertEquals(x0, models.fake().score().config().withLora(0, Set.of()));
      Map<String, float[]> gen0 = snapshot(models.generator());
      runW2s(models, config(2, 0.25f, false), dir);
      boolean moved = false;
      for (var e : snapshot(models.generator()).entrySet()) {
        for (float v : e.getValue()) {
          assertTrue(Float.isFinite(v), e.getKey());
        }
        moved |= !java.util.Arrays.equals(gen0.get(e.getKey()), e.getValue());
      }
      assertTrue(moved, "the x0 generator trains");
    }
  }

  /** k iterations, stop, resume the stage: identical to an uninterrupted run. */
  @Test
  void resumingAStageIsBitIdentical(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    Map<String, float[]> straight;
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(4, 0f, false), m);
      new DistributionMatching("dmd", config(4, 0f, false))
          .run(
              models,
              clips(),
              null,
              0,
              new CheckpointedRun<>(store, "straight", false, null, StageControl.NONE));
      straight = snapshot(models.generator());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(2, 0f, false), m);
      new DistributionMatching("dmd", config(2, 0f, false))
          .run(
              models,
              clips(),
              null,
              0,
              new CheckpointedRun<>(store, "split", false, null, StageControl.NONE));
    }
    try (NDManager m = NDManager.newBaseManager()) {
      // fresh networks; everything comes from the checkpoint pair of iteration 2
      DistillModels models = DistillModels.fromTeacher(teacher(m), config(2, 0f, false), m);
      var result =
          new DistributionMatching("dmd", config(2, 0f, false))
              .run(
                  models,
                  clips(),
                  "split",
                  0,
                  new CheckpointedRun<>(store, "split2", false, null, StageControl.NONE));
      assertEquals(2, result.startIteration());
      assertEquals(4, result.endIteration());
      Map<String, float[]> resumed = snapshot(models.generator());
      for (var k : straight.keySet()) {
        assertArrayEquals(straight.get(k), resumed.get(k), 0f, k);
      }
    }
  }

  /**
   * A finished stage resumed with more iterations runs on to the new end, bit-identical to the
   * longer run from the start; fewer than it has done are refused.
   */
  @Test
  void aResumedStageCanBeLengthenedButNotShortened(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    Map<String, float[]> straight = runStage(store, "straight", 4, false).weights();
    assertEquals(2, runStage(store, "grown", 2, true).end());
    StageRun grown = runStage(store, "grown", 4, true);
    assertEquals(4, grown.end());
    for (var k : straight.keySet()) {
      assertArrayEquals(straight.get(k), grown.weights().get(k), 0f, k);
    }
    var e = assertThrows(IllegalArgumentException.class, () -> runStage(store, "grown", 3, true));
    assertTrue(e.getMessage().contains("already at iteration 4"), e.getMessage());
    assertTrue(e.getMessage().contains("ask for at least 4"), e.getMessage());
  }

  record StageRun(long end, Map<String, float[]> weights) {}

  /** A plain DMD stage of {@code iterations} under {@code prefix}, from the teacher. */
  static StageRun runStage(LocalDirectoryStore store, String prefix, int iterations, boolean resume)
      throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models =
          DistillModels.fromTeacher(teacher(m), config(iterations, 0f, false), m);
      var result =
          new DistributionMatching("dmd", config(iterations, 0f, false))
              .run(
                  models,
                  clips(),
                  null,
                  0,
                  new CheckpointedRun<>(store, prefix, resume, null, StageControl.NONE));
      return new StageRun(result.endIteration(), snapshot(models.generator()));
    }
  }

  @Test
  void perSampleNormalisationMatchesHandComputation() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, -3, 2, 2, 0, 0, -4, 4}).reshape(2, 4);
      assertArrayEquals(
          new float[] {2f, 2f}, DmdObjective.perSampleMeanAbs(x).reshape(-1).toFloatArray(), 1e-5f);
    }
  }

  @Test
  void invalidSettingsNameTheField() {
    var e = assertThrows(IllegalArgumentException.class, () -> config(1, 2f, false));
    assertTrue(e.getMessage().contains("alphaWeak"), e.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class, () -> config(0, 0f, false));
    assertTrue(e2.getMessage().contains("iterations"), e2.getMessage());
  }
}
