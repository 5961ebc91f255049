package com.magicdistill.bench;

import com.magicdistill.engine.train.TrainingPhase;

/** Where a long benchmark reports progress (a console bar, a log, or nothing). */
public interface Progress {
  void start(String task, long total);

  /**
   * Starts a task of which {@code done} of {@code total} were done before (its ETA counts the
   * rest).
   */
  default void start(String task, long total, long done) {
    start(task, total);
    step(done, "");
  }

  void step(long current, String message);

  void end();

  /**
   * Ends a training phase's task; a phase found already trained (resumed at its last step) shows as
   * complete rather than at 0. {@code result} is null when the phase failed.
   */
  default void endPhase(TrainingPhase.Result result) {
    if (result != null) {
      step(result.summary().completedSteps(), "");
    }
    end();
  }

  /** Discards progress. */
  Progress NONE =
      new Progress() {
        @Override
        public void start(String task, long total) {}

        @Override
        public void step(long current, String message) {}

        @Override
        public void end() {}
      };
}
