package com.magicdistill.engine.distill.lcm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.StepStats;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LcmDistillationTest {

  /**
   * Self-consistency loss on fixed evaluation draws: the consistency loss with the model itself as
   * the target network (the fixed point LCM training drives towards).
   */
  static double selfConsistency(VideoDiT teacher, VideoDiT model, List<Clip> clips, LcmConfig cfg) {
    var objective = new LcmObjective(teacher, model, clips, cfg);
    double sum = 0;
    int draws = 8;
    try (NoGrad ignored = NoGrad.enter()) {
      for (int i = 0; i < draws; i++) {
        try (NDManager m = NDManager.newBaseManager()) {
          sum += objective.loss(m, model, i, StepRandom.forStep(1234, i, 0)).getFloat();
        }
      }
    }
    return sum / draws;
  }

  @Test
  void trainingLowersTheConsistencyLossAndLeavesTheTeacherAlone() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT teacher = LcmFixtures.teacher(m, 7);
      Map<String, float[]> before = LcmFixtures.weights(teacher);
      List<Clip> clips = LcmFixtures.clips();
      LcmConfig cfg = LcmFixtures.config(30);
      double initial = selfConsistency(teacher, teacher, clips, cfg);
      List<StepStats> seen = new ArrayList<>();
      LcmDistillation.Result r =
          new LcmDistillation(cfg)
              .run(m, teacher, clips, new CheckpointedRun<>(null, null, false, seen::add, null));
      double trained = selfConsistency(teacher, r.student(), clips, cfg);
      System.out.printf(
          "LCM tiny: self-consistency loss %.6f -> %.6f after %d steps, median %.1f ms/step%n",
          initial, trained, r.summary().completedSteps(), r.medianMsPerStep());
      assertEquals(30, seen.size());
      assertTrue(seen.stream().allMatch(s -> Float.isFinite(s.loss())));
      assertTrue(trained < initial, "loss " + initial + " -> " + trained);
      Map<String, float[]> after = LcmFixtures.weights(teacher);
      for (String k : before.keySet()) {
        assertArrayEquals(before.get(k), after.get(k), 0f, k);
      }
      assertFalse(
          java.util.Arrays.equals(
              before.values().iterator().next(),
              LcmFixtures.weights(r.student()).values().iterator().next()),
          "the student moved away from the teacher");
    }
  }

  /** N steps straight == k steps, checkpoint, then N - k steps from a fresh process state. */
  @Test
  void resumeIsBitIdentical(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    List<Clip> clips = LcmFixtures.clips();
    int n = 6;
    int k = 3;
    LcmConfig full = LcmFixtures.config(n).withCheckpointEvery(k);
    LcmConfig head = LcmFixtures.config(k).withCheckpointEvery(k);
    try (NDManager mA = NDManager.newBaseManager();
        NDManager mB = NDManager.newBaseManager();
        NDManager mC = NDManager.newBaseManager()) {
      VideoDiT teacherA = LcmFixtures.teacher(mA, 8);
      List<StepStats> straight = new ArrayList<>();
      var a =
          new LcmDistillation(full)
              .run(
                  mA,
                  teacherA,
                  clips,
                  new CheckpointedRun<>(store, "straight", false, straight::add, null));

      VideoDiT teacherB = LcmFixtures.teacher(mB, 8);
      new LcmDistillation(head)
          .run(mB, teacherB, clips, new CheckpointedRun<>(store, "interrupted", false, null, null));

      VideoDiT teacherC = LcmFixtures.teacher(mC, 8);
      List<StepStats> resumedSteps = new ArrayList<>();
      var c =
          new LcmDistillation(full)
              .run(
                  mC,
                  teacherC,
                  clips,
                  new CheckpointedRun<>(store, "interrupted", true, resumedSteps::add, null));
      assertTrue(c.resumed());
      assertEquals(n, c.summary().completedSteps());
      assertEquals(
          straight.subList(k, n).stream().map(StepStats::loss).toList(),
          resumedSteps.stream().map(StepStats::loss).toList());
      assertSameWeights(a.student(), c.student());

      // The checkpoint rebuilds the LCM student (EMA weights) on its own.
      VideoDiT loaded = ModelCheckpoints.loadEma(store, "straight", mA);
      assertSameWeights(a.student(), loaded);
    }
  }

  private static void assertSameWeights(Block x, Block y) {
    Map<String, float[]> wx = LcmFixtures.weights(x);
    Map<String, float[]> wy = LcmFixtures.weights(y);
    assertEquals(wx.keySet(), wy.keySet());
    for (String key : wx.keySet()) {
      assertArrayEquals(wx.get(key), wy.get(key), 0f, key);
    }
  }
}
