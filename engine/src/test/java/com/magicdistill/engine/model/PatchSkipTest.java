package com.magicdistill.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.engine.perf.ModelFlops;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code model.patchSkip}: a linear from each input patch straight to its output patch. */
class PatchSkipTest {
  @Test
  void theSkipAddsALinearOfTheInputPatchToTheOutput() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (Prediction prediction : Prediction.values()) {
        DitConfig plainCfg = VideoDiTTest.tiny(0).withPrediction(prediction);
        VideoDiT plain = new VideoDiT(plainCfg);
        plain.initialize(m);
        VideoDiTTest.perturb(plain, false);
        VideoDiT skipped = new VideoDiT(plainCfg.withPatchSkip(true));
        skipped.initialize(m);
        NDList in = VideoDiTTest.inputs(m, 2);
        Map<String, Parameter> plainParams = plain.stateDict();
        Map<String, Parameter> params = skipped.stateDict();
        for (var e : plainParams.entrySet()) {
          params.get(e.getKey()).getArray().set(e.getValue().getArray().toByteBuffer());
        }
        // Zero at initialisation: the same model as without it.
        assertArrayEquals(
            VideoDiTTest.forward(plain, m, in), VideoDiTTest.forward(skipped, m, in), 0f);

        NDArray w = params.get("patch_skip.weight").getArray();
        NDArray bias = params.get("patch_skip.bias").getArray();
        w.addi(m.randomNormal(0f, 0.2f, w.getShape(), w.getDataType()));
        bias.addi(m.randomNormal(0f, 0.2f, bias.getShape(), bias.getDataType()));
        NDArray patches =
            Patches.patchify(ImageConditioning.concat(in.get(0), in.get(2)), plainCfg);
        NDArray skip = Patches.unpatchify(patches.matMul(w.transpose()).add(bias), plainCfg, 3, 2);
        if (prediction == Prediction.X0) {
          // The skip is part of x0_hat: v = (x - x0_hat) / max(sigma, floor).
          skip = RectifiedFlow.velocityFromX0(m.zeros(skip.getShape()), skip, in.get(1));
        }
        NDArray expected = m.create(VideoDiTTest.forward(plain, m, in), skip.getShape()).add(skip);
        assertArrayEquals(
            expected.toFloatArray(), VideoDiTTest.forward(skipped, m, in), 1e-4f, prediction.id());
      }
    }
  }

  @Test
  void aConfigWithoutTheFieldHasNoSkipAndTheSkipIsCounted() throws Exception {
    ObjectMapper json = new ObjectMapper();
    DitConfig skip = VideoDiTTest.tiny(2).withPatchSkip(true);
    ObjectNode tree = json.valueToTree(skip);
    assertEquals(skip, json.treeToValue(tree, DitConfig.class));
    tree.remove("patchSkip");
    assertFalse(json.treeToValue(tree, DitConfig.class).patchSkip());
    assertEquals(
        skip,
        skip.withHeads(2).withLora(2, skip.loraTargets()).withPrediction(Prediction.VELOCITY));
    DitConfig plain = skip.withPatchSkip(false);
    long perToken = 2L * DitConfig.IN_CHANNELS * plain.patchVolume() * 3 * plain.patchVolume();
    assertEquals(
        ModelFlops.forwardPerSample(plain) + plain.tokens() * perToken,
        ModelFlops.forwardPerSample(skip));
  }
}
