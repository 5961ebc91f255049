package com.magicdistill.engine.export;

import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code schedule.json}: how to sample the packaged generator over {@code sigmas} (from 1 to 0) of
 * its velocity output: {@code euler} integrates the flow ODE, {@code renoise} predicts x0 at each
 * level and re-noises it with fresh noise (the distilled few-step generators); {@code guidance} 1.0
 * (no classifier-free guidance). {@code steps} and {@code shift} generate {@code sigmas} (uniform
 * then shifted, docs/ALGORITHM.md#samplers); the list is stored too so that readers need not
 * reimplement the shift.
 */
record ScheduleFile(
    String sampler,
    String prediction,
    int steps,
    double shift,
    List<Double> sigmas,
    double guidance) {
  static final String VELOCITY = "velocity";

  static ScheduleFile of(SigmaSchedule schedule, SamplerKind sampler) {
    List<Double> sigmas = new ArrayList<>();
    for (double s : schedule.sigmas()) {
      sigmas.add(s);
    }
    return new ScheduleFile(
        sampler.id(), VELOCITY, schedule.steps(), schedule.shift(), List.copyOf(sigmas), 1.0);
  }
}
