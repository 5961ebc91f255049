package com.magicdistill.engine.distill.lcm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.RectifiedFlow;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.RenoisingSampler;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RenoisingSamplerTest {

  @Test
  void fourStepsMakeFourModelCallsAndAreDeterministicForASeed() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = LcmFixtures.teacher(m, 3);
      AtomicInteger calls = new AtomicInteger();
      var counting =
          new LambdaBlock(
              in -> {
                calls.incrementAndGet();
                return model.forward(new ai.djl.training.ParameterStore(m, false), in, false);
              });
      NDArray noise = m.randomNormal(new Shape(2, 3, 4, 8, 8));
      NDArray first = m.randomNormal(new Shape(2, 3, 8, 8));
      RenoisingSampler a = RenoisingSampler.fourStep(counting, 42);
      float[] outA = a.sample(noise, first).toFloatArray();
      assertEquals(4, a.modelCalls());
      assertEquals(4, calls.get());
      float[] outA2 = RenoisingSampler.fourStep(counting, 42).sample(noise, first).toFloatArray();
      assertArrayEquals(outA, outA2, 0f);
      float[] outB = RenoisingSampler.fourStep(counting, 43).sample(noise, first).toFloatArray();
      assertFalse(Arrays.equals(outA, outB), "the re-noising depends on the seed");
    }
  }

  /** With the exact velocity of a point mass a, every consistency step predicts a itself. */
  @Test
  void exactModelOfAPointMassLandsOnIt() {
    try (NDManager m = NDManager.newBaseManager()) {
      float a = -0.4f;
      var exact =
          new LambdaBlock(
              in -> {
                NDArray x = in.get(0);
                return new NDList(x.sub(a).div(RectifiedFlow.broadcast(in.get(1), x)));
              });
      NDArray out =
          RenoisingSampler.fourStep(exact, 1)
              .sample(m.randomNormal(new Shape(3, 3, 2, 2, 2)), m.zeros(new Shape(3, 3, 2, 2)));
      for (float f : out.toFloatArray()) {
        assertEquals(a, f, 1e-5f);
      }
    }
  }

  /**
   * Batched generation: the starting noise is ClipGenerator's (same (seed, clip index)), and a
   * clip's result does not depend on the batch size.
   */
  @Test
  void generatorSharesStartingNoiseAndIsBatchInvariant() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = LcmFixtures.teacher(m, 4);
      List<float[]> frames =
          LcmFixtures.clips().subList(0, 3).stream().map(c -> c.frame(0)).toList();
      var g1 = new ClipGenerator(LcmFixtures.SHAPE, 1);
      var g3 = new ClipGenerator(LcmFixtures.SHAPE, 3);
      ClipGenerator.Generated one =
          g1.generate(renoise(model, SigmaSchedule.FOUR_STEP), frames, 5, "lcm");
      ClipGenerator.Generated three =
          g3.generate(renoise(model, SigmaSchedule.FOUR_STEP), frames, 5, "lcm");
      assertEquals(4, one.modelCallsPerClip());
      assertEquals(4, three.modelCallsPerClip());
      for (int i = 0; i < 3; i++) {
        Clip x = one.clips().get(i);
        Clip y = three.clips().get(i);
        assertEquals("lcm-" + i, x.id());
        assertArrayEquals(x.rgb(), y.rgb(), 1e-5f, "clip " + i);
      }
      // With a 1-step schedule the consistency sampler is one Euler step, as is EulerSampler(1):
      // identical starting noise gives identical clips.
      SigmaSchedule single = new SigmaSchedule(1, 1.0);
      var euler = new ClipGenerator(LcmFixtures.SHAPE, 3).generate(model, single, frames, 5, "e");
      var lcm = g3.generate(renoise(model, single), frames, 5, "c");
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(euler.clips().get(i).rgb(), lcm.clips().get(i).rgb(), 1e-5f);
      }
    }
  }

  private static RenoisingSampler renoise(ai.djl.nn.Block model, SigmaSchedule schedule) {
    return new RenoisingSampler(model, schedule, 5);
  }
}
