package com.magicdistill.engine.distill.lcm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.ParameterArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/** Tiny shapes shared by the LCM tests. */
final class LcmFixtures {
  static final ClipShape SHAPE = new ClipShape(4, 8, 8);
  static final DitConfig CFG = new DitConfig(SHAPE, 2, 4, 24, 2, 2, 2, 0, 0, Set.of());

  private LcmFixtures() {}

  static List<Clip> clips() {
    return IntStream.range(0, 6)
        .mapToObj(i -> SyntheticDataset.portrait(5, i, SHAPE).clip())
        .toList();
  }

  /**
   * A "teacher": a DiT whose weights (including the zero-initialised adaLN-Zero and output layers)
   * are perturbed, so its velocity is a non-trivial function of every parameter.
   */
  static VideoDiT teacher(NDManager m, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    VideoDiT model = new VideoDiT(CFG);
    model.initialize(m);
    try (NoGrad ignored = NoGrad.enter()) {
      for (Parameter p : model.getParameters().values()) {
        NDArray arr = p.getArray();
        arr.addi(m.randomNormal(0f, 0.05f, arr.getShape(), arr.getDataType()));
      }
    }
    return model;
  }

  static LcmConfig config(int steps) {
    return new LcmConfig(steps, 1e-3f, 3, 28, 1, 3.0, 0.9f, 0.0, 0, 11L);
  }

  static Map<String, float[]> weights(ai.djl.nn.Block block) {
    Map<String, float[]> out = new LinkedHashMap<>();
    ParameterArrays.parameters(block).forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
    return out;
  }
}
