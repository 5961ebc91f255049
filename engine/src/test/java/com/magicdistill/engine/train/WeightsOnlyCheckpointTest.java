package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.Scalars;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.storage.LocalDirectoryStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code magic checkpoint weights}: the weights-only copy of a checkpoint is the model that {@link
 * ModelCheckpoints#loadEma} reads from the original (its EMA averages, not its raw weights), with
 * no EMA or optimizer state.
 */
class WeightsOnlyCheckpointTest {
  private static final DitConfig CFG =
      new DitConfig(new ClipShape(4, 8, 8), 2, 4, 24, 2, 2, 2, 0, 0, Set.of());

  @Test
  void theCopyIsTheEmaModelWithoutOptimizerState(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      VideoDiT model = new VideoDiT(CFG);
      model.initialize(m);
      CheckpointIO.Manifest original = saveTrainingCheckpoint(store, model, m);

      CheckpointIO.Manifest copy =
          ModelCheckpoints.saveWeightsOnly(store, "run", store, "weights", m);

      assertEquals(original.step(), copy.step());
      assertEquals(original.seed(), copy.seed());
      assertEquals(original.config(), copy.config());
      assertTrue(copy.tensors().stream().allMatch(n -> n.startsWith(CheckpointIO.MODEL)));
      assertEquals(ParameterArrays.parameters(model).size(), copy.tensors().size());
      assertTrue(
          copy.tensorBytes() * 3 < original.tensorBytes(),
          copy.tensorBytes() + " bytes against " + original.tensorBytes());

      Map<String, float[]> fromOriginal = weights(ModelCheckpoints.loadEma(store, "run", m));
      Map<String, float[]> fromCopy = weights(ModelCheckpoints.loadEma(store, "weights", m));
      Map<String, float[]> raw = weights(model);
      assertEquals(fromOriginal.keySet(), fromCopy.keySet());
      for (String name : fromOriginal.keySet()) {
        assertArrayEquals(fromOriginal.get(name), fromCopy.get(name), name);
        assertFalse(java.util.Arrays.equals(raw.get(name), fromCopy.get(name)), name);
      }
    }
  }

  /** A training checkpoint of {@code model}: EMA = weights + 0.01, AdamW moments of 1. */
  private static CheckpointIO.Manifest saveTrainingCheckpoint(
      LocalDirectoryStore store, VideoDiT model, NDManager m) throws IOException {
    Map<String, NDArray> w = new LinkedHashMap<>();
    Map<String, NDArray> ema = new LinkedHashMap<>();
    Map<String, NDArray> adamM = new LinkedHashMap<>();
    Map<String, NDArray> adamV = new LinkedHashMap<>();
    try (NoGrad ignored = NoGrad.enter()) {
      ParameterArrays.parameters(model)
          .forEach(
              (name, p) -> {
                NDArray a = p.getArray();
                w.put(name, a.duplicate());
                ema.put(name, Scalars.add(a, 0.01f));
                adamM.put(name, a.onesLike());
                adamV.put(name, a.onesLike());
              });
    }
    String config = Json.MAPPER.writeValueAsString(Map.of("model", CFG));
    TrainingCheckpoint cp =
        new TrainingCheckpoint(7, 11, 7, config, w, ema, adamM, adamV, m.newSubManager());
    return CheckpointIO.saveAndMarkLatest(store, "run", "run/step-00000007", cp);
  }

  private static Map<String, float[]> weights(VideoDiT model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    ParameterArrays.parameters(model).forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
    return out;
  }
}
