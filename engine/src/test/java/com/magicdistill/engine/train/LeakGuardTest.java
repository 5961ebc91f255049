package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 200 steps must not pile up native arrays (one child manager per step, closed at its end). The
 * check is on the managers' array counts, which are exact; RSS is only logged, because in a JVM
 * shared with the other tests heap growth and other threads move it.
 */
class LeakGuardTest {

  @Test
  void rssStaysFlatOver200Steps() {
    int b = 4;
    int t = 32;
    int d = 64;
    int h = 256;
    int steps = Integer.getInteger("leakguard.steps", 200);
    TrainConfig cfg =
        new TrainConfig(steps, 1e-3f, 10, 0.01f, 0.9f, 0.999f, 1e-8f, 1f, 0.99f, 0, 1L);
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = TinyModels.mlp(m, b, t, d, h, 2);
      int beforeTrainer = m.getManagedArrays().size();
      int[] arraysAt50 = {-1, -1};
      int[] arraysAtEnd = {-2, -2};
      try (Trainer trainer =
          new Trainer(block, null, cfg, TinyModels.regression(b, t, d), null, null).rssEvery(10)) {
        trainer.addListener(
            st -> {
              if (st.step() + 1 == 50) {
                arraysAt50[0] = m.getManagedArrays().size();
                arraysAt50[1] = trainer.liveArrays();
              }
              if (st.step() + 1 == steps) {
                arraysAtEnd[0] = m.getManagedArrays().size();
                arraysAtEnd[1] = trainer.liveArrays();
              }
              if ((st.step() + 1) % 50 == 0) {
                Runtime rt = Runtime.getRuntime();
                System.out.printf(
                    "step %d rss %d MB heap used %d MB committed %d MB%n",
                    st.step() + 1,
                    ResidentMemory.currentMb(),
                    (rt.totalMemory() - rt.freeMemory()) >> 20,
                    rt.totalMemory() >> 20);
              }
            });
        Trainer.TrainingSummary summary = trainer.run();
        List<RssSample> rss = summary.rss();
        long at50 = rss.stream().filter(s -> s.step() == 50).findFirst().orElseThrow().rssMb();
        long at200 = rss.stream().filter(s -> s.step() == 200).findFirst().orElseThrow().rssMb();
        System.out.printf(
            "LeakGuard: %d steps, %.2f ms/step, RSS step 50: %d MB, step 200: %d MB, series %s,"
                + " last loss %.5f%n",
            summary.completedSteps(),
            summary.meanMsPerStep(),
            at50,
            at200,
            rss,
            summary.lastLoss());
        // Exact Java-side check: no handle (gradients, temporaries) piles up in the model's
        // manager.
        assertEquals(arraysAt50[0], arraysAtEnd[0], "arrays in the model manager");
        assertEquals(arraysAt50[1], arraysAtEnd[1], "arrays in the trainer's manager");
        assertTrue(arraysAt50[1] > 0, "optimiser state lives in the trainer's manager");
        if (at200 - at50 >= 50) {
          System.out.printf("LeakGuard: RSS grew %d MB from step 50 to 200%n", at200 - at50);
        }
      }
      assertEquals(beforeTrainer, m.getManagedArrays().size(), "arrays left after the trainer");
    }
  }
}
