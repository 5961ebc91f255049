package com.magicdistill.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.data.ClipShape;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VideoDiTTest {
  static final ClipShape SHAPE = new ClipShape(4, 8, 8);

  static DitConfig tiny(int rank) {
    return new DitConfig(SHAPE, 2, 4, 24, 2, 2, 2, rank, rank, DitConfig.DEFAULT_TARGETS);
  }

  static NDList inputs(NDManager m, int b) {
    Engine.getInstance().setRandomSeed(7);
    return new NDList(
        m.randomNormal(new Shape(b, 3, 4, 8, 8)),
        m.randomUniform(0f, 1f, new Shape(b)),
        m.randomUniform(-1f, 1f, new Shape(b, 3, 8, 8)));
  }

  static float[] forward(VideoDiT model, NDManager m, NDList in) {
    return model.forward(new ParameterStore(m, false), in, false).singletonOrThrow().toFloatArray();
  }

  /** Makes the LoRA adapters non-trivial (B is zero at initialisation). */
  static void perturbLora(VideoDiT model) {
    perturb(model, true);
  }

  /**
   * Adds noise to parameters (all, or only LoRA ones): a freshly initialised DiT outputs exactly
   * zero (adaLN-Zero), which would hide differences.
   */
  static void perturb(VideoDiT model, boolean loraOnly) {
    for (var p : model.getParameters().values()) {
      if (!loraOnly || VideoDiT.isLoraParameter(p)) {
        NDArray a = p.getArray();
        a.addi(a.getManager().randomNormal(0f, 0.2f, a.getShape(), a.getDataType()));
      }
    }
  }

  @Test
  void outputHasTheInputVideoShape() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = new VideoDiT(tiny(2));
      model.initialize(m);
      NDArray v =
          model.forward(new ParameterStore(m, false), inputs(m, 3), false).singletonOrThrow();
      assertEquals(new Shape(3, 3, 4, 8, 8), v.getShape());
    }
  }

  @Test
  void patchifyThenUnpatchifyIsTheIdentity() {
    try (NDManager m = NDManager.newBaseManager()) {
      DitConfig cfg = tiny(0);
      NDArray x = m.arange(2 * 3 * 4 * 8 * 8).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
      x = x.reshape(2, 3, 4, 8, 8);
      NDArray tokens = Patches.patchify(x, cfg);
      assertEquals(new Shape(2, cfg.tokens(), 3 * cfg.patchVolume()), tokens.getShape());
      assertArrayEquals(x.toFloatArray(), Patches.unpatchify(tokens, cfg, 3, 2).toFloatArray(), 0f);
    }
  }

  @Test
  void loraAtScaleZeroEqualsTheBaseModel() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      VideoDiT base = new VideoDiT(tiny(0));
      base.initialize(m);
      perturb(base, false);
      Engine.getInstance().setRandomSeed(1);
      VideoDiT withLora = new VideoDiT(tiny(4));
      withLora.initialize(m);
      // copy base weights into the LoRA model, then make the adapters non-zero
      var baseParams = base.getParameters();
      for (var e : withLora.getParameters()) {
        if (!VideoDiT.isLoraParameter(e.getValue())) {
          e.getValue().getArray().set(baseParams.get(e.getKey()).getArray().toByteBuffer());
        }
      }
      perturbLora(withLora);
      NDList in = inputs(m, 2);
      withLora.loraScale().set(0f);
      assertArrayEquals(forward(base, m, in), forward(withLora, m, in), 0f);
      withLora.loraScale().set(1f);
      float[] on = forward(withLora, m, in);
      float[] off = forward(base, m, in);
      double diff = 0;
      for (int i = 0; i < on.length; i++) {
        diff += Math.abs(on[i] - off[i]);
      }
      assertTrue(diff > 1e-3, "a non-zero adapter at scale 1 must change the output");
    }
  }

  @Test
  void mergedLoraEqualsUnmerged() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = new VideoDiT(tiny(4));
      model.initialize(m);
      perturb(model, false);
      NDList in = inputs(m, 2);
      model.loraScale().set(0.25f);
      float[] unmerged = forward(model, m, in);
      for (LoraLinear l : model.loraLinears()) {
        l.mergeLora(0.25f);
      }
      model.loraScale().set(0f);
      assertArrayEquals(unmerged, forward(model, m, in), 1e-4f);
    }
  }

  @Test
  void gradientsReachOnlyTheAdapterWhenBaseIsFrozen() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = new VideoDiT(tiny(2));
      model.initialize(m);
      // All of it: with adaLN-Zero gates at zero, no gradient would reach the blocks' adapters.
      perturb(model, false);
      model.freezeParameters(true, p -> !VideoDiT.isLoraParameter(p));
      try (NDManager step = m.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray v =
            model
                .forward(new ParameterStore(step, false), inputs(step, 2), true)
                .singletonOrThrow();
        gc.backward(v.square().mean());
      }
      int lora = 0;
      for (var p : model.getParameters().values()) {
        assertEquals(VideoDiT.isLoraParameter(p), p.requiresGradient(), p.getName());
        if (p.requiresGradient()) {
          lora++;
          float g = p.getArray().getGradient().abs().sum().getFloat();
          assertTrue(g > 0f, p.getName() + " got no gradient (sum |grad| = " + g + ")");
        } else {
          // Frozen: no gradient buffer at all, or one that stayed zero.
          NDArray a = p.getArray();
          if (a.hasGradient()) {
            assertEquals(0f, a.getGradient().abs().sum().getFloat(), p.getName());
          }
        }
      }
      assertTrue(lora > 0, "the model has LoRA parameters");
    }
  }

  @Test
  void invalidConfigurationNamesTheField() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DitConfig(SHAPE, 3, 4, 24, 2, 2, 2, 0, 0, Set.of()));
    assertTrue(e.getMessage().contains("patchFrames"), e.getMessage());
    var heads =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DitConfig(SHAPE, 2, 4, 24, 2, 5, 2, 0, 0, Set.of()));
    assertEquals(
        "model.dim/heads is invalid (24/5): it must be a positive width that the number of heads"
            + " divides",
        heads.getMessage());
    var e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DitConfig(SHAPE, 2, 4, 24, 2, 2, 2, 4, 4, Set.of("attention")));
    assertTrue(e2.getMessage().contains("loraTargets"), e2.getMessage());
  }
}
