package com.magicdistill.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@link ObjectStore} contract every implementation's test runs (local directory, S3). */
public final class ObjectStoreContract {
  private ObjectStoreContract() {}

  /**
   * Put (bytes, file, overwrite), get, stream, exists, prefix listing, delete and missing keys, on
   * an empty {@code store}; {@code scratch} is a local folder for the file put.
   */
  public static void putGetListDelete(ObjectStore store, Path scratch) throws IOException {
    store.put("runs/a/step-1/checkpoint.json", "{}".getBytes(StandardCharsets.UTF_8));
    store.put("runs/a/step-2/checkpoint.json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
    Path local = Files.writeString(scratch.resolve("local.bin"), "payload");
    store.put("runs/b/blob", local);
    store.put("runs/a/step-1/checkpoint.json", "{\"v\":2}".getBytes(StandardCharsets.UTF_8));

    assertEquals(
        "{\"v\":2}",
        new String(store.get("runs/a/step-1/checkpoint.json"), StandardCharsets.UTF_8));
    try (InputStream in = store.openStream("runs/b/blob")) {
      assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
    }
    assertTrue(store.exists("runs/b/blob"));
    assertFalse(store.exists("runs/b"));
    assertEquals(
        List.of("runs/a/step-1/checkpoint.json", "runs/a/step-2/checkpoint.json"),
        store.list("runs/a/"));
    assertEquals(List.of("runs/a/step-2/checkpoint.json"), store.list("runs/a/step-2"));
    assertEquals(3, store.list("").size());
    assertEquals(3, store.list("ru").size());
    assertEquals(List.of(), store.list("nothing/"));
    assertTrue(store.delete("runs/b/blob"));
    assertFalse(store.delete("runs/b/blob"));
    ObjectNotFoundException e =
        assertThrows(ObjectNotFoundException.class, () -> store.get("runs/b/blob"));
    assertEquals("runs/b/blob", e.key());
    assertThrows(ObjectNotFoundException.class, () -> store.openStream("runs/b/blob"));

    // streamed put: exactly the announced bytes, or no object at all
    byte[] body = new byte[3 << 20];
    new java.util.Random(7).nextBytes(body);
    store.put("runs/c/tensors", new java.io.ByteArrayInputStream(body), body.length);
    assertArrayEquals(body, store.get("runs/c/tensors"));
    assertThrows(
        IOException.class,
        () -> store.put("runs/c/short", new java.io.ByteArrayInputStream(body, 0, 10), 20));
    assertFalse(store.exists("runs/c/short"));
  }
}
