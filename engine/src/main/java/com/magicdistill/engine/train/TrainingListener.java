package com.magicdistill.engine.train;

/** Observes training; called on the training thread after every step (keep it cheap). */
@FunctionalInterface
public interface TrainingListener {
  void onStep(StepStats stats);

  /** Called after a checkpoint has been written under {@code prefix}. */
  default void onCheckpoint(long completedSteps, String prefix) {}

  /** Called when training resumed from the checkpoint under {@code prefix} at {@code step}. */
  default void onResume(long step, String prefix) {}
}
