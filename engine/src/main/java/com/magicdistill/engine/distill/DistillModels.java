package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.ParameterArrays;
import java.util.Map;

/**
 * The networks of DMD-LoRA (docs/ALGORITHM.md#dmd-lora), built from the teacher W: the generator G
 * (a full copy of W, fully trained) and the fake score model (W frozen + a LoRA dW with B = 0, so
 * it starts equal to the real model). The real model is the same score network at another LoRA
 * scale.
 */
public record DistillModels(VideoDiT generator, FakeScore fake) {

  public static DistillModels fromTeacher(VideoDiT teacher, DistillConfig cfg, NDManager m) {
    var base = teacher.config().withLora(0, java.util.Set.of());
    VideoDiT generator = new VideoDiT(base);
    generator.initialize(m);
    copyWeights(teacher, generator);

    VideoDiT score = new VideoDiT(base.withLora(cfg.loraRank(), cfg.loraTargets()));
    FakeScore fake = new FakeScore(score, cfg.gan());
    fake.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, score.inputShapes(1));
    copyWeights(teacher, score);
    // Only the adapter (and the GAN head) trains: W stays the teacher, bit for bit
    // (docs/STACK_NOTES.md, DJL gotcha 3).
    score.freezeParameters(true, p -> !VideoDiT.isLoraParameter(p));
    return new DistillModels(generator, fake);
  }

  /** Copies every parameter of {@code from} into the same-named parameter of {@code to}. */
  static void copyWeights(VideoDiT from, VideoDiT to) {
    Map<String, ai.djl.nn.Parameter> target = ParameterArrays.parameters(to);
    for (var e : ParameterArrays.parameters(from).entrySet()) {
      var p = target.get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException(
            "teacher parameter " + e.getKey() + " has no counterpart in the student network");
      }
      ParameterArrays.copyInto(p.getArray(), e.getValue().getArray());
    }
  }
}
