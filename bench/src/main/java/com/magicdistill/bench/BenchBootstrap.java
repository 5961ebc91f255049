package com.magicdistill.bench;

import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.eval.Bootstrap;

/**
 * The bootstrap behind a benchmark's intervals: 1000 draws, except 100 on the tiny preset, which
 * checks that every figure is produced, not its value (1000 draws per row are most of its time).
 */
final class BenchBootstrap {
  static final int TINY_RESAMPLES = 100;

  private BenchBootstrap() {}

  static Bootstrap forPreset(EnginePreset preset) {
    return new Bootstrap(
        "tiny".equals(preset.name()) ? TINY_RESAMPLES : Bootstrap.DEFAULT_RESAMPLES,
        Bootstrap.DEFAULT_SEED);
  }
}
