package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save puts the tensor file, the manifest and the {@code latest} pointer at once (the small two
 * while the big one still uploads), returns only when all three are complete, and a save cut short
 * at any point leaves a run whose resume finds the previous checkpoint.
 */
class CheckpointWriteOrderTest {
  static final String RUN = "runs/o";
  static final String TENSOR = "/" + CheckpointIO.TENSORS;

  @TempDir Path dir;

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

  private static String prefix(long step) {
    return String.format("%s/step-%08d", RUN, step);
  }

  /** The step a resume of {@link #RUN} starts from now (0: no checkpoint). */
  private static long resumeStep(ObjectStore store, NDManager m) throws IOException {
    var found = CheckpointIO.loadNewest(store, RUN, m);
    if (found.isEmpty()) {
      return 0;
    }
    try (TrainingCheckpoint cp = found.get().checkpoint()) {
      return cp.step();
    }
  }

  /**
   * Checks what a resume would find before and after every put, from whichever thread makes it: the
   * checkpoint saved before, or the one being saved, never anything else and never an error.
   */
  final class ReaderBetweenWrites extends ForwardingObjectStore {
    final List<String> puts = Collections.synchronizedList(new ArrayList<>());
    final NDManager manager;
    volatile Set<Long> allowed = Set.of(0L);

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

    synchronized void check() throws IOException {
      long step = resumeStep(delegate(), manager);
      assertTrue(allowed.contains(step), "a resume would start at step " + step);
    }
  }

  @Test
  void everyIntermediateStateOfTwoSavesResumesFromAWholeCheckpoint() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      ReaderBetweenWrites store = new ReaderBetweenWrites(new LocalDirectoryStore(dir), m);
      long previous = 0;
      for (long step : new long[] {2, 4}) {
        store.allowed = Set.of(previous, step);
        int before = store.puts.size();
        try (TrainingCheckpoint cp = checkpoint(m, step)) {
          var manifest = CheckpointIO.saveAndMarkLatest(store, RUN, prefix(step), cp);
          assertEquals(step, manifest.step());
        }
        // returned: all three complete, and the resume finds this one
        assertEquals(
            Set.of(
                prefix(step) + TENSOR,
                prefix(step) + "/" + CheckpointIO.MANIFEST,
                RUN + "/" + CheckpointIO.LATEST),
            Set.copyOf(store.puts.subList(before, store.puts.size())));
        assertEquals(step, resumeStep(store, m));
        previous = step;
      }
      try (TrainingCheckpoint back = CheckpointIO.load(store, prefix(4), m)) {
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

  /**
   * The tensor file's upload waits (up to a minute) for the manifest and the pointer to arrive
   * first, which only happens when they do not wait for it, then fails if told to.
   */
  static final class SlowTensorUpload extends ForwardingObjectStore {
    final CountDownLatch smallPuts = new CountDownLatch(2);
    final boolean fail;
    volatile boolean smallArrivedFirst;

    SlowTensorUpload(ObjectStore delegate, boolean fail) {
      super(delegate);
      this.fail = fail;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
      super.put(key, data);
      smallPuts.countDown();
    }

    @Override
    public void put(String key, InputStream in, long size) throws IOException {
      try {
        smallArrivedFirst = smallPuts.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      if (fail) {
        in.readNBytes((int) Math.min(size, 100)); // a part went up, then the server went away
        throw new IOException("connection reset while uploading " + key);
      }
      super.put(key, in, size);
    }
  }

  @Test
  void theManifestAndThePointerGoUpWhileTheTensorFileIsStillUploading() throws IOException {
    try (NDManager m = NDManager.newBaseManager();
        TrainingCheckpoint cp = checkpoint(m, 3)) {
      SlowTensorUpload store = new SlowTensorUpload(new LocalDirectoryStore(dir), false);
      CheckpointIO.saveAndMarkLatest(store, RUN, prefix(3), cp);
      assertTrue(store.smallArrivedFirst, "manifest and pointer waited for the tensor upload");
      assertEquals(3, resumeStep(store, m));
    }
  }

  @Test
  void aTensorUploadThatFailsAfterTheSmallPutsLeavesThePreviousCheckpointToResumeFrom()
      throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      ObjectStore plain = new LocalDirectoryStore(dir);
      try (TrainingCheckpoint cp = checkpoint(m, 2)) {
        CheckpointIO.saveAndMarkLatest(plain, RUN, prefix(2), cp);
      }
      SlowTensorUpload failing = new SlowTensorUpload(plain, true);
      try (TrainingCheckpoint cp = checkpoint(m, 4)) {
        IOException e =
            assertThrows(
                IOException.class,
                () -> CheckpointIO.saveAndMarkLatest(failing, RUN, prefix(4), cp));
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
      }
      // the pointer and the manifest name step 4, whose tensor file never arrived
      assertEquals(prefix(4), CheckpointIO.latest(plain, RUN).orElseThrow());
      assertTrue(plain.exists(prefix(4) + "/" + CheckpointIO.MANIFEST));
      assertEquals(2, resumeStep(plain, m));
    }
  }

  @Test
  void aFirstSaveCutShortLeavesARunThatStartsFromStepZero() throws IOException {
    try (NDManager m = NDManager.newBaseManager();
        TrainingCheckpoint cp = checkpoint(m, 2)) {
      ObjectStore plain = new LocalDirectoryStore(dir);
      SlowTensorUpload failing = new SlowTensorUpload(plain, true);
      assertThrows(
          IOException.class, () -> CheckpointIO.saveAndMarkLatest(failing, RUN, prefix(2), cp));
      assertTrue(CheckpointIO.latest(plain, RUN).isPresent());
      assertEquals(0, resumeStep(plain, m));
    }
  }
}
