package com.magicdistill.activities;

import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.storage.ForwardingObjectStore;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;

/** Times each checkpoint tensor file put through it and tells a {@link CheckpointObserver}. */
final class ObservedCheckpointStore extends ForwardingObjectStore {
  private final String stage;
  private final CheckpointObserver observer;

  ObservedCheckpointStore(ObjectStore delegate, String stage, CheckpointObserver observer) {
    super(delegate);
    this.stage = stage;
    this.observer = observer;
  }

  @Override
  public void put(String key, InputStream in, long size) throws IOException {
    long t0 = System.nanoTime();
    super.put(key, in, size);
    if (key.endsWith("/" + CheckpointIO.TENSORS)) {
      observer.saved(stage, size, (System.nanoTime() - t0) / 1e9);
    }
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    long t0 = System.nanoTime();
    super.put(key, data);
    if (key.endsWith("/" + CheckpointIO.TENSORS)) {
      observer.saved(stage, data.length, (System.nanoTime() - t0) / 1e9);
    }
  }
}
