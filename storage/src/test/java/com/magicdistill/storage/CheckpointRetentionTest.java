package com.magicdistill.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRetentionTest {
  private static final String RUN = "runs/r1/teacher";

  @Test
  void keepsNewestBestAndProtectedAndDeletesManifestFirst(@TempDir Path dir) throws IOException {
    RecordingStore store = new RecordingStore(new LocalDirectoryStore(dir));
    Map<String, Double> metric = new HashMap<>();
    for (int i = 1; i <= 10; i++) {
      writeCheckpoint(store, i * 100);
      metric.put(checkpoint(i * 100), 1.0 / i); // newer is better ...
    }
    metric.put(checkpoint(300), 0.01); // ... except these two, the best
    metric.put("step-00000500", 0.02); // a bare folder name works too
    metric.put(checkpoint(600), Double.NaN); // no metric
    store.put(RUN + "/latest", checkpoint(1000).getBytes(StandardCharsets.UTF_8));
    store.put(RUN + "/other/file", new byte[1]); // not a checkpoint: untouched
    store.deleted.clear();

    List<String> deleted =
        CheckpointRetention.apply(store, RUN, 2, 2, metric, Set.of(checkpoint(100) + "/"));

    assertEquals(
        List.of(
            checkpoint(200), checkpoint(400), checkpoint(600), checkpoint(700), checkpoint(800)),
        deleted);
    Set<String> surviving =
        store.list(RUN + "/").stream()
            .filter(k -> k.endsWith("/checkpoint.json"))
            .map(k -> k.substring(0, k.lastIndexOf('/')))
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            checkpoint(100), checkpoint(300), checkpoint(500), checkpoint(900), checkpoint(1000)),
        surviving);
    for (String gone : deleted) {
      assertEquals(List.of(), store.list(gone + "/"), gone);
    }
    assertTrue(store.exists(RUN + "/latest"));
    assertTrue(store.exists(RUN + "/other/file"));

    // Per deleted checkpoint: the manifest goes first, then the tensors.
    assertEquals(deleted.size() * 2, store.deleted.size());
    for (int i = 0; i < deleted.size(); i++) {
      assertEquals(deleted.get(i) + "/checkpoint.json", store.deleted.get(2 * i));
      assertEquals(deleted.get(i) + "/tensors.safetensors", store.deleted.get(2 * i + 1));
    }

    // Idempotent: nothing more to delete.
    assertEquals(
        List.of(), CheckpointRetention.apply(store, RUN, 2, 2, metric, Set.of(checkpoint(100))));
  }

  @Test
  void latestPointerIsAlwaysKeptAndLeftoversAreCleaned(@TempDir Path dir) throws IOException {
    ObjectStore store = new LocalDirectoryStore(dir);
    for (int step : List.of(1, 2, 3, 4)) {
      writeCheckpoint(store, step);
    }
    store.put(RUN + "/latest", checkpoint(2).getBytes(StandardCharsets.UTF_8));
    // step 3: half deleted earlier (manifest gone); step 5: being written (no manifest yet)
    store.delete(checkpoint(3) + "/checkpoint.json");
    store.put(checkpoint(5) + "/tensors.safetensors", new byte[8]);

    List<String> deleted = CheckpointRetention.apply(store, RUN, 1, 0, Map.of(), Set.of());

    assertEquals(List.of(checkpoint(1), checkpoint(3)), deleted);
    assertTrue(store.exists(checkpoint(2) + "/checkpoint.json"));
    assertTrue(store.exists(checkpoint(4) + "/checkpoint.json"));
    assertTrue(store.exists(checkpoint(5) + "/tensors.safetensors"));
    assertFalse(store.exists(checkpoint(3) + "/tensors.safetensors"));
  }

  @Test
  void validatesArguments(@TempDir Path dir) throws IOException {
    ObjectStore store = new LocalDirectoryStore(dir);
    assertMessage(
        () -> CheckpointRetention.apply(store, RUN, 0, 0, Map.of(), Set.of()), "keepLast");
    assertMessage(
        () -> CheckpointRetention.apply(store, RUN, 1, -1, Map.of(), Set.of()), "keepBest");
    assertMessage(
        () -> CheckpointRetention.apply(store, RUN, 1, 0, null, Set.of()), "metricByCheckpoint");
    assertMessage(
        () -> CheckpointRetention.apply(store, RUN, 1, 0, Map.of(), null), "protectedCheckpoints");
    assertMessage(
        () -> CheckpointRetention.apply(store, "runs/../x", 1, 0, Map.of(), Set.of()), "..");
    assertEquals(
        List.of(), CheckpointRetention.apply(store, "runs/none", 1, 0, Map.of(), Set.of()));
  }

  private static String checkpoint(int step) {
    return RUN + "/" + String.format("step-%08d", step);
  }

  private static void writeCheckpoint(ObjectStore store, int step) throws IOException {
    store.put(checkpoint(step) + "/tensors.safetensors", new byte[16]);
    store.put(checkpoint(step) + "/checkpoint.json", "{}".getBytes(StandardCharsets.UTF_8));
  }

  private static void assertMessage(Executable r, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  private interface Executable {
    void run() throws IOException;
  }

  /** Delegates to a store and records the keys it deletes, in order. */
  private static final class RecordingStore extends ForwardingObjectStore {
    final List<String> deleted = new ArrayList<>();

    RecordingStore(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public boolean delete(String key) throws IOException {
      deleted.add(key);
      return super.delete(key);
    }
  }
}
