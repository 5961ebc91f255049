package com.magicdistill.bench;

import ai.djl.nn.Block;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.stats.Median;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times sampling methods side by side, in one process state: each round generates the same clips
 * with every method in turn, and a method's time is its median over the rounds. Timing each method
 * once, right after it was trained, measures the process as much as the sampler (the paper-table
 * run timed the re-noising methods at 1.5x Euler-4 although, timed together, they cost the same).
 */
final class SamplerTiming {
  /** One timed method: a model and how it is sampled. */
  record Method(String name, Block model, SamplerKind kind, SigmaSchedule schedule) {}

  private final List<Method> methods = new ArrayList<>();

  void add(String name, Block model, SamplerKind kind, SigmaSchedule schedule) {
    methods.add(new Method(name, model, kind, schedule));
  }

  /** Median wall milliseconds per clip of each method over {@code rounds} interleaved rounds. */
  Map<String, Double> medianMsPerClip(
      ClipGenerator generator, List<float[]> frames, long seed, int rounds) {
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Method m : methods) {
        var g =
            generator.generate(m.kind().create(m.model(), m.schedule(), seed), frames, seed, "t");
        times.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(g.wallMsPerClip());
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    times.forEach((k, v) -> medians.put(k, Median.of(v)));
    return medians;
  }
}
