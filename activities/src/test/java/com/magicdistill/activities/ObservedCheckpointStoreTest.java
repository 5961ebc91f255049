package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.magicdistill.storage.LocalDirectoryStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only checkpoint tensor files are reported, with their size; every put still lands. */
class ObservedCheckpointStoreTest {
  @TempDir Path dir;

  @Test
  void reportsTensorFilesOnly() throws Exception {
    List<String> seen = new ArrayList<>();
    var store =
        new ObservedCheckpointStore(
            new LocalDirectoryStore(dir),
            "w2s",
            (stage, bytes, s) -> seen.add(stage + ":" + bytes));
    byte[] body = new byte[1234];
    store.put(
        "runs/r/w2s/generator/step-4/tensors.safetensors", new ByteArrayInputStream(body), 1234);
    store.put("runs/r/w2s/generator/step-4/checkpoint.json", new byte[10]);
    store.put("runs/r/w2s/generator/step-8/tensors.safetensors", new byte[7]);
    assertEquals(List.of("w2s:1234", "w2s:7"), seen);
    assertArrayEquals(body, store.get("runs/r/w2s/generator/step-4/tensors.safetensors"));
  }
}
