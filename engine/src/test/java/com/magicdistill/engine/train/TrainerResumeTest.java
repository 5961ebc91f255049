package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.magicdistill.storage.LocalDirectoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerResumeTest {
  static final int B = 2;
  static final int T = 16;
  static final int D = 32;
  static final int H = 64;

  static TrainConfig config(int steps) {
    // Clip at 0.05 so clipping is active; weight decay and warm-up on.
    return new TrainConfig(
        steps, 3e-3f, Math.min(3, steps), 0.05f, 0.9f, 0.99f, 1e-8f, 0.05f, 0.9f, 5, 42L);
  }

  @Test
  void resumeIsBitIdentical(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    int n = 12;
    try (NDManager mA = NDManager.newBaseManager();
        NDManager mB = NDManager.newBaseManager()) {
      Block a = TinyModels.mlp(mA, B, T, D, H, 1);
      List<Float> lossesA = new ArrayList<>();
      try (Trainer ta =
          new Trainer(a, null, config(n), TinyModels.regression(B, T, D), store, "runs/a")) {
        ta.addListener(s -> lossesA.add(s.loss()));
        ta.run();
        assertEquals(n, ta.completedSteps());
        assertTrue(store.exists("runs/a/step-00000005/checkpoint.json"));
        assertTrue(store.exists("runs/a/step-00000010/tensors.safetensors"));
        assertEquals("runs/a/step-00000012", CheckpointIO.latest(store, "runs/a").orElseThrow());
        assertTrue(lossesA.get(n - 1) < lossesA.get(0), "loss should go down: " + lossesA);

        // A fresh model with a different init, resumed from step 5.
        Block b = TinyModels.mlp(mB, B, T, D, H, 999);
        assertFalse(
            java.util.Arrays.equals(firstWeight(a).toFloatArray(), firstWeight(b).toFloatArray()));
        List<Float> lossesB = new ArrayList<>();
        try (Trainer tb =
            new Trainer(b, null, config(n), TinyModels.regression(B, T, D), store, "runs/b")) {
          tb.addListener(s -> lossesB.add(s.loss()));
          tb.resumeFrom("runs/a/step-00000005");
          assertEquals(5, tb.completedSteps());
          tb.run();
          assertEquals(n, tb.completedSteps());
          assertEquals(lossesA.subList(5, n), lossesB);
          assertEquals(ta.optimizer().updateCount(), tb.optimizer().updateCount());
          assertSame(ParameterArrays.parameters(a), ParameterArrays.parameters(b));
          assertSame(ta.ema().averages(), tb.ema().averages());
          assertSame(ta.optimizer().firstMoments(), tb.optimizer().firstMoments());
          assertSame(ta.optimizer().secondMoments(), tb.optimizer().secondMoments());
        }
      }
    }
  }

  @Test
  void aResumedFinishedRunSaysNothingWasLeftToTrain(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    int n = 5;
    try (NDManager m = NDManager.newBaseManager()) {
      Block a = TinyModels.mlp(m, B, T, D, H, 1);
      try (Trainer ta =
          new Trainer(a, null, config(n), TinyModels.regression(B, T, D), store, "runs/a")) {
        String trained = ta.run().describe();
        assertTrue(trained.startsWith("last loss "), trained);
        assertTrue(trained.endsWith(" ms/step mean)"), trained);
      }
      try (Trainer again =
          new Trainer(a, null, config(n), TinyModels.regression(B, T, D), store, "runs/a")) {
        assertTrue(again.resumeFromLatest());
        assertEquals("nothing left to train, all 5 steps were done before", again.run().describe());
      }
    }
  }

  @Test
  void frozenParametersStayBitIdenticalAndGetNoState() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = TinyModels.mlp(m, B, T, D, H, 3);
      // LoRA-style: freeze the first Linear after initialize (docs/STACK_NOTES.md, DJL gotcha 3).
      Block firstLinear = block.getChildren().get(1).getValue();
      firstLinear.freezeParameters(true);
      Map<String, Parameter> all = ParameterArrays.parameters(block);
      float[] frozenBefore = all.get("02Linear_weight").getArray().toFloatArray();
      float[] trainedBefore = all.get("04Linear_weight").getArray().toFloatArray();
      TrainConfig cfg = config(4).withCheckpointEvery(0);
      try (Trainer t = new Trainer(block, null, cfg, TinyModels.regression(B, T, D), null, null)) {
        t.run();
        assertFalse(t.optimizer().firstMoments().containsKey("02Linear_weight"));
        assertTrue(t.optimizer().firstMoments().containsKey("04Linear_weight"));
        assertFalse(t.ema().averages().containsKey("02Linear_weight"));
      }
      assertArrayEquals(frozenBefore, all.get("02Linear_weight").getArray().toFloatArray());
      assertFalse(
          java.util.Arrays.equals(
              trainedBefore, all.get("04Linear_weight").getArray().toFloatArray()));
    }
  }

  @Test
  void loadRejectsCorruptionAndMismatchedModels(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = TinyModels.mlp(m, B, T, D, H, 5);
      try (Trainer t =
          new Trainer(
              block,
              null,
              config(2).withCheckpointEvery(0),
              TinyModels.regression(B, T, D),
              store,
              "runs/c")) {
        t.run();
      }
      String prefix = "runs/c/step-00000002";
      CheckpointIO.Manifest manifest = CheckpointIO.readManifest(store, prefix);
      assertEquals(2, manifest.step());
      assertEquals(42L, manifest.seed());
      assertEquals(2, manifest.adamStep());
      assertEquals(42L, manifest.config().get("seed").asLong());
      assertTrue(manifest.tensors().contains("model.02Linear_weight"));
      assertTrue(manifest.tensors().contains("adam_v.04Linear_bias"));

      // Wrong architecture: hidden 48 instead of 64.
      Block other = TinyModels.mlp(m, B, T, D, 48, 5);
      try (TrainingCheckpoint cp = CheckpointIO.load(store, prefix, m)) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> cp.restoreWeights(other));
        assertTrue(e.getMessage().contains("02Linear_weight"), e.getMessage());
        assertTrue(e.getMessage().contains("(48, 32)"), e.getMessage());
      }

      // Corrupt one byte of the tensor file.
      Path tensors = store.pathOf(prefix + "/" + CheckpointIO.TENSORS);
      byte[] bytes = Files.readAllBytes(tensors);
      bytes[bytes.length - 1] ^= 1;
      Files.write(tensors, bytes);
      IOException e = assertThrows(IOException.class, () -> CheckpointIO.load(store, prefix, m));
      assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }
  }

  @Test
  void trainsAfterDjlLoadParameters() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Block source = TinyModels.mlp(m, B, T, D, H, 8);
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      source.saveParameters(new java.io.DataOutputStream(bytes));
      Block loaded = TinyModels.mlp(m, B, T, D, H, 9);
      loaded.loadParameters(
          m, new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
      assertArrayEquals(firstWeight(source).toFloatArray(), firstWeight(loaded).toFloatArray());
      float[] before = firstWeight(loaded).toFloatArray();
      try (Trainer t =
          new Trainer(
              loaded,
              null,
              config(2).withCheckpointEvery(0),
              TinyModels.regression(B, T, D),
              null,
              null)) {
        t.run();
      }
      assertFalse(java.util.Arrays.equals(before, firstWeight(loaded).toFloatArray()));
    }
  }

  @Test
  void emaSwapRestoresTrainingWeightsExactly() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = TinyModels.mlp(m, B, T, D, H, 7);
      try (Trainer t =
          new Trainer(
              block,
              null,
              config(3).withCheckpointEvery(0),
              TinyModels.regression(B, T, D),
              null,
              null)) {
        t.run();
        float[] training = firstWeight(block).toFloatArray();
        float[] average = t.ema().averages().get("02Linear_weight").toFloatArray();
        assertFalse(java.util.Arrays.equals(training, average));
        try (Ema.Swap ignored = t.ema().swapInto(block)) {
          assertArrayEquals(average, firstWeight(block).toFloatArray());
        }
        assertArrayEquals(training, firstWeight(block).toFloatArray());
        assertTrue(firstWeight(block).hasGradient());
      }
    }
  }

  private static NDArray firstWeight(Block block) {
    return ParameterArrays.parameters(block).get("02Linear_weight").getArray();
  }

  private static void assertSame(Map<String, ?> expected, Map<String, ?> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String k : expected.keySet()) {
      NDArray e = array(expected.get(k));
      NDArray a = array(actual.get(k));
      assertArrayEquals(e.toFloatArray(), a.toFloatArray(), k);
    }
  }

  private static NDArray array(Object o) {
    return o instanceof Parameter ? ((Parameter) o).getArray() : (NDArray) o;
  }
}
