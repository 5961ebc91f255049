package com.magicdistill.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing while another thread writes (a console listing checkpoints while a stage saves them):
 * temporary files appear and are moved into place during the walk, and the listing neither fails
 * nor shows them.
 */
class LocalDirectoryListingRaceTest {
  @Test
  void listingWhileWritingNeverFailsNorShowsTemporaryFiles(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                // at least one full round of the 50 keys, however late this thread starts
                for (int i = 0; i < 50 || !stop.get(); i++) {
                  store.put("runs/r/step-" + (i % 50) + "/x.bin", new byte[64]);
                }
              } catch (Throwable t) {
                writerFailed.set(t);
              }
            });
    writer.start();
    try {
      for (int n = 0; n < 1000; n++) {
        for (String k : store.list("runs/r/")) {
          assertTrue(k.endsWith("/x.bin"), k);
        }
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertEquals(null, writerFailed.get());
    assertEquals(50, store.list("runs/r/").size());
  }
}
