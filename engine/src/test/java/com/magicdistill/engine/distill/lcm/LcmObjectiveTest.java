package com.magicdistill.engine.distill.lcm;

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
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.ConfigException;
import com.magicdistill.engine.model.NoGrad;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.engine.train.ParameterArrays;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LcmObjectiveTest {

  @Test
  void boundaryConditionHoldsExactly() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = LcmFixtures.teacher(m, 1);
      NDArray x = m.randomNormal(new Shape(2, 3, 4, 8, 8));
      NDArray first = m.randomNormal(new Shape(2, 3, 8, 8));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray atZero = ConsistencyFunction.apply(model, ps, x, m.zeros(new Shape(2)), first, false);
      assertArrayEquals(x.toFloatArray(), atZero.toFloatArray(), 0f);
      NDArray atHalf =
          ConsistencyFunction.apply(model, ps, x, m.full(new Shape(2), 0.5f), first, false);
      assertFalse(Arrays.equals(x.toFloatArray(), atHalf.toFloatArray()));
    }
  }

  /** Teacher v = 2x, target v = 3: hand-computed Euler step and x0-parameterisation. */
  @Test
  void targetIsTheTeachersEulerStepThenTheTargetNetwork() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block teacher = new LambdaBlock(in -> new NDList(in.get(0).mul(2f)));
      Block target = new LambdaBlock(in -> new NDList(in.get(0).onesLike().mul(3f)));
      var objective = new LcmObjective(teacher, target, LcmFixtures.clips(), LcmFixtures.config(1));
      float[] xs = {0.5f, -1f, 2f, 0.25f};
      NDArray xHi = m.create(xs, new Shape(2, 1, 1, 1, 2));
      NDArray sHi = m.create(new float[] {0.5f, 1f});
      NDArray sLo = m.create(new float[] {0.25f, 0f});
      NDArray out = objective.consistencyTarget(m, xHi, sHi, sLo, m.zeros(new Shape(2, 1, 1, 2)));
      // Sample 0: x_lo = x + 2x(0.25 - 0.5) = 0.5x; target = 0.5x - 0.25 * 3.
      // Sample 1: x_lo = x + 2x(0 - 1) = -x; target = -x - 0 * 3 = -x (boundary).
      float[] expected = {
        0.5f * xs[0] - 0.75f, 0.5f * xs[1] - 0.75f, -xs[2], -xs[3],
      };
      assertArrayEquals(expected, out.toFloatArray(), 1e-6f);
    }
  }

  @Test
  void intervalsFollowTheShiftedScheduleWithSkip() {
    var cfg = new LcmConfig(1, 1e-3f, 2, 28, 4, 5.0, 0.95f, 0, 0, 0);
    Block none = new LambdaBlock(in -> in);
    var objective = new LcmObjective(none, none, LcmFixtures.clips(), cfg);
    double[] sigmas = cfg.schedule().sigmas();
    assertEquals(7, objective.intervals());
    assertArrayEquals(new double[] {1.0, sigmas[4]}, objective.interval(0), 0);
    assertArrayEquals(new double[] {sigmas[24], 0.0}, objective.interval(6), 0);
  }

  /**
   * Gradients reach the student only: the teacher and an (unfrozen, gradient-carrying) target
   * network get none, and a garbage collection before backward() changes nothing
   * (docs/STACK_NOTES.md, DJL gotcha 1), for both the L2 and the pseudo-Huber loss.
   */
  @Test
  void gradientsReachOnlyTheStudentAndSurviveGc() {
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT teacher = LcmFixtures.teacher(m, 2);
      VideoDiT target = LcmDistillation.copyOf(teacher, m);
      VideoDiT student = LcmDistillation.copyOf(teacher, m);
      // Make the three differ, so a leak could not hide behind identical weights.
      Engine.getInstance().setRandomSeed(5);
      try (NoGrad ignored = NoGrad.enter()) {
        for (Parameter p : student.getParameters().values()) {
          p.getArray()
              .addi(m.randomNormal(0f, 0.02f, p.getArray().getShape(), p.getArray().getDataType()));
        }
      }
      assertTrue(firstArray(target).hasGradient(), "target must carry gradients for this test");
      assertTrue(firstArray(teacher).hasGradient(), "teacher must carry gradients for this test");
      for (double c : new double[] {0.0, 0.01}) {
        var objective =
            new LcmObjective(
                teacher, target, LcmFixtures.clips(), LcmFixtures.config(1).withHuberC(c));
        Map<String, float[]> teacherBefore = LcmFixtures.weights(teacher);
        float[] calm = gradients(objective, student, teacher, target, false);
        float[] churned = gradients(objective, student, teacher, target, true);
        assertArrayEquals(calm, churned, 0f, "huber c " + c);
        assertTrue(norm(calm) > 0, "student gets a gradient");
        assertEquals(0.0, norm(allGradients(teacher)), "teacher gets no gradient");
        assertEquals(0.0, norm(allGradients(target)), "target gets no gradient");
        Map<String, float[]> teacherAfter = LcmFixtures.weights(teacher);
        for (String k : teacherBefore.keySet()) {
          assertArrayEquals(teacherBefore.get(k), teacherAfter.get(k), 0f, k);
        }
      }
    }
  }

  @Test
  void configValidationNamesTheFieldAndTheFix() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LcmConfig(10, 1e-4f, 2, 28, 5, 3.0, 0.95f, 0, 0, 0));
    assertTrue(
        e instanceof ConfigException c
            && c.field().equals("skip")
            && !e.getMessage().contains("--"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LcmConfig(10, 1e-4f, 2, 28, 1, 3.0, 1f, 0, 0, 0));
    assertTrue(e.getMessage().contains("targetDecay"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LcmConfig(10, 1e-4f, 2, 28, 1, 3.0, 0.95f, -1, 0, 0));
    assertTrue(e instanceof ConfigException c && c.field().equals("huberC"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LcmObjective(null, null, List.of(), LcmFixtures.config(1)));
    assertTrue(e.getMessage().contains("training data is empty"), e.getMessage());
  }

  private static float[] gradients(
      LcmObjective objective, Block student, Block teacher, Block target, boolean gc) {
    for (Block b : List.of(student, teacher, target)) {
      b.getParameters().values().forEach(ParameterArrays::zeroGradient);
    }
    try (NDManager step = NDManager.newBaseManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = objective.loss(step, student, 0, StepRandom.forStep(9, 0, 0));
      if (gc) {
        for (int i = 0; i < 20; i++) {
          byte[] churn = new byte[1 << 20];
          churn[i] = 1;
        }
        System.gc();
        System.gc();
      }
      collector.backward(loss);
    }
    return allGradients(student);
  }

  private static float[] allGradients(Block block) {
    float[] out = new float[0];
    for (Parameter p : block.getParameters().values()) {
      if (!p.getArray().hasGradient()) {
        continue;
      }
      float[] g = p.getArray().getGradient().toFloatArray();
      float[] joined = Arrays.copyOf(out, out.length + g.length);
      System.arraycopy(g, 0, joined, out.length, g.length);
      out = joined;
    }
    return out;
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float f : v) {
      s += (double) f * f;
    }
    return Math.sqrt(s);
  }

  private static NDArray firstArray(Block b) {
    return b.getParameters().valueAt(0).getArray();
  }
}
