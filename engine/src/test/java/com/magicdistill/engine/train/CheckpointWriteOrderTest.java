package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.magicdistill.storage.ForwardingObjectStore;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that looks at the store between any two writes of a save never finds the {@code latest}
 * pointer on a checkpoint that does not load, nor a manifest without its complete tensor file.
 */
class CheckpointWriteOrderTest {
  static final String RUN = "runs/o";

  @TempDir Path dir;

  /** Runs {@link #check} before and after every put and delete. */
  final class ReaderBetweenWrites extends ForwardingObjectStore {
    final List<String> puts = new ArrayList<>();
    final NDManager manager;

    ReaderBetweenWrites(ObjectStore delegate, NDManager manager) {
      super(delegate);
      this.manager = manager;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
      check();
      super.put(key, data);
      puts.add(key);
      check();
    }

    @Override
    public void put(String key, InputStream in, long size) throws IOException {
      check();
      super.put(key, in, size);
      puts.add(key);
      check();
    }

    /** What a resuming reader sees now: the pointer's checkpoint and every manifest load. */
    void check() throws IOException {
      ObjectStore plain = delegate();
      var latest = CheckpointIO.latest(plain, RUN);
      if (latest.isPresent()) {
        try (TrainingCheckpoint cp = CheckpointIO.load(plain, latest.get(), manager)) {
          assertTrue(cp.step() > 0);
        }
      }
      for (String key : plain.list(RUN + "/")) {
        if (key.endsWith("/" + CheckpointIO.MANIFEST)) {
          String prefix = key.substring(0, key.length() - CheckpointIO.MANIFEST.length() - 1);
          CheckpointIO.load(plain, prefix, manager).close();
        }
      }
    }
  }

  private static TrainingCheckpoint checkpoint(NDManager parent, long step) {
    NDManager m = parent.newSubManager();
    NDArray w = m.arange(0f, 12f).reshape(new Shape(3, 4)).add(step);
    NDArray b = m.create(new float[] {1f, 2f});
    return new TrainingCheckpoint(
        step,
        7,
        step,
        "{\"k\":1}",
        Map.of("w", w),
        Map.of("w", w.mul(0.5f)),
        Map.of("w", w.mul(0.1f)),
        Map.of("w", b.duplicate().reshape(new Shape(2))),
        m);
  }

  @Test
  void everyIntermediateStateOfTwoSavesIsSafeToResumeFrom() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      ReaderBetweenWrites store = new ReaderBetweenWrites(new LocalDirectoryStore(dir), m);
      for (long step : new long[] {2, 4}) {
        String prefix = RUN + "/step-0000000" + step;
        try (TrainingCheckpoint cp = checkpoint(m, step)) {
          var manifest = CheckpointIO.saveAndMarkLatest(store, RUN, prefix, cp);
          assertEquals(step, manifest.step());
        }
      }
      assertEquals(
          List.of(
              RUN + "/step-00000002/" + CheckpointIO.TENSORS,
              RUN + "/step-00000002/" + CheckpointIO.MANIFEST,
              RUN + "/" + CheckpointIO.LATEST,
              RUN + "/step-00000004/" + CheckpointIO.TENSORS,
              RUN + "/step-00000004/" + CheckpointIO.MANIFEST,
              RUN + "/" + CheckpointIO.LATEST),
          store.puts);
      try (TrainingCheckpoint back = CheckpointIO.load(store, RUN + "/step-00000004", m)) {
        assertEquals(4, back.step());
        assertEquals(
            List.of(4f, 5f, 6f),
            List.of(
                back.weights().get("w").getFloat(0, 0),
                back.weights().get("w").getFloat(0, 1),
                back.weights().get("w").getFloat(0, 2)));
      }
    }
  }
}
