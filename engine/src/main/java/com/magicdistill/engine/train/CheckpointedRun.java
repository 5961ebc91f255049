package com.magicdistill.engine.train;

import com.magicdistill.storage.ObjectStore;

/**
 * Where and how a checkpointed loop runs: its checkpoints go to {@code store} under {@code prefix};
 * with {@code resume} it continues from the newest valid one there; {@code listener} observes it
 * (may be null) and {@code control} may stop it early or add time-based checkpoints.
 *
 * @param <L> the loop's listener type
 */
public record CheckpointedRun<L>(
    ObjectStore store, String prefix, boolean resume, L listener, StageControl control) {
  public CheckpointedRun {
    control = control == null ? StageControl.NONE : control;
  }

  /** A fresh run (no resume, no listener, never stopped early). */
  public static <L> CheckpointedRun<L> fresh(ObjectStore store, String prefix) {
    return new CheckpointedRun<>(store, prefix, false, null, StageControl.NONE);
  }

  public CheckpointedRun<L> resuming(boolean newResume) {
    return new CheckpointedRun<>(store, prefix, newResume, listener, control);
  }

  public <M> CheckpointedRun<M> listenedBy(M newListener) {
    return new CheckpointedRun<>(store, prefix, resume, newListener, control);
  }

  public CheckpointedRun<L> steeredBy(StageControl newControl) {
    return new CheckpointedRun<>(store, prefix, resume, listener, newControl);
  }

  /** The same settings under {@code prefix/child}, observed by {@code childListener}. */
  public <M> CheckpointedRun<M> child(String child, M childListener) {
    return new CheckpointedRun<>(
        store, ObjectStore.join(prefix, child), resume, childListener, control);
  }
}
