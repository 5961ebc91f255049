package com.magicdistill.engine.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.model.DitConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelFlopsTest {
  /** 8 tokens (2 x 2 x 2), D 24, P 32, H 48, 2 blocks. */
  static final DitConfig TINY =
      new DitConfig(new ClipShape(4, 8, 8), 2, 4, 24, 2, 2, 2, 0, 0, Set.of());

  @Test
  void forwardFlopsAreCountedByHandFromTheShapes() {
    long patch = 2L * 8 * 224 * 24;
    long sigma = 2L * (64 * 24 + 24 * 24);
    long adaLn = 2 * (2L * 24 * 144);
    long attnLinears = 2 * (2L * 8 * 24 * 72 + 2L * 8 * 24 * 24);
    long scoresAndValues = 2 * (2 * 2L * 8 * 8 * 24);
    long mlp = 2 * (2L * 8 * 24 * 48 * 2);
    long fin = 2L * 24 * 48 + 2L * 8 * 24 * 96;
    long total = patch + sigma + adaLn + attnLinears + scoresAndValues + mlp + fin;
    assertEquals(302_976L, total);
    assertEquals(total, ModelFlops.forwardPerSample(TINY));
    assertEquals(3 * 4 * total, ModelFlops.trainStep(TINY, 4));
  }

  @Test
  void loraAddsItsTwoThinLinears() {
    DitConfig lora = TINY.withLora(2, Set.of("qkv"));
    long extra = 2 * (2L * 8 * (24 * 2 + 2 * 72)); // two blocks, in -> r -> out per token
    assertEquals(ModelFlops.forwardPerSample(TINY) + extra, ModelFlops.forwardPerSample(lora));
  }

  @Test
  void theGemmPeakIsAPositiveRateWithTheThreadCount() {
    GemmPeak.Result r = GemmPeak.measure(java.util.List.of(64));
    assertTrue(r.gflops() > 0 && r.bySize().get(64) == r.gflops(), r.toString());
    assertTrue(r.threads() >= 1);
  }
}
