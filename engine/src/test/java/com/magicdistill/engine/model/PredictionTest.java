package com.magicdistill.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * {@code model.prediction = x0}: the last linear predicts the clean clip and the model returns the
 * velocity of the line through it (docs/ALGORITHM.md#prediction-target).
 */
class PredictionTest {
  private static final float[] SIGMAS = {1.0f, 0.5f, 0.05f, 0.01f};

  @Test
  void anX0ModelReturnsTheVelocityThroughItsCleanClip() {
    try (NDManager m = NDManager.newBaseManager()) {
      DitConfig velocityCfg = VideoDiTTest.tiny(0);
      VideoDiT raw = new VideoDiT(velocityCfg);
      raw.initialize(m);
      VideoDiTTest.perturb(raw, false);
      VideoDiT x0Model = new VideoDiT(velocityCfg.withPrediction(Prediction.X0));
      x0Model.initialize(m);
      var rawParams = raw.getParameters();
      x0Model
          .getParameters()
          .forEach(
              p ->
                  p.getValue().getArray().set(rawParams.get(p.getKey()).getArray().toByteBuffer()));

      NDList in = VideoDiTTest.inputs(m, SIGMAS.length);
      in.set(1, m.create(SIGMAS));
      NDArray x = in.get(0);
      // The same weights: the velocity model's output is the x0 model's clean-clip prediction.
      NDArray x0Hat = m.create(VideoDiTTest.forward(raw, m, in), x.getShape());
      NDArray v = m.create(VideoDiTTest.forward(x0Model, m, in), x.getShape());

      for (int i = 0; i < SIGMAS.length; i++) {
        float divisor = Math.max(SIGMAS[i], (float) RectifiedFlow.X0_SIGMA_FLOOR);
        float[] expected = x.get(i).sub(x0Hat.get(i)).div(divisor).toFloatArray();
        assertArrayEquals(expected, v.get(i).toFloatArray(), 1e-4f, "sigma " + SIGMAS[i]);
      }
      // At or above the floor, x0_hat = x_sigma - sigma v gives the clean clip back.
      NDArray back = RectifiedFlow.x0FromVelocity(x, v, in.get(1));
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(x0Hat.get(i).toFloatArray(), back.get(i).toFloatArray(), 1e-4f);
      }
    }
  }

  @Test
  void aConfigWithoutPredictionIsAVelocityModel() throws Exception {
    ObjectMapper json = new ObjectMapper();
    DitConfig x0 = VideoDiTTest.tiny(2).withPrediction(Prediction.X0);
    ObjectNode tree = json.valueToTree(x0);
    assertEquals("x0", tree.get("prediction").asText());
    assertEquals(x0, json.treeToValue(tree, DitConfig.class));
    tree.remove("prediction"); // as written before the field existed
    assertEquals(Prediction.VELOCITY, json.treeToValue(tree, DitConfig.class).prediction());
    assertEquals(x0, x0.withLora(2, x0.loraTargets()).withHeads(2));
  }

  @Test
  void anUnknownPredictionNamesTheFieldAndTheChoices() {
    var e = assertThrows(IllegalArgumentException.class, () -> Prediction.byId("eps"));
    assertEquals(
        "model.prediction: unknown prediction 'eps'; choose velocity or x0", e.getMessage());
  }
}
