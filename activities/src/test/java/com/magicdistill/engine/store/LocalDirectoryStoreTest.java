package com.magicdistill.engine.store;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryStoreTest {

  @Test
  void putGetListDelete(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir.resolve("root"));
    store.put("runs/a/step-1/checkpoint.json", "{}".getBytes(StandardCharsets.UTF_8));
    store.put("runs/a/step-2/checkpoint.json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
    Path local = Files.writeString(dir.resolve("local.bin"), "payload");
    store.put("runs/b/blob", local);
    store.put("runs/a/step-1/checkpoint.json", "{\"v\":2}".getBytes(StandardCharsets.UTF_8));

    assertEquals("{\"v\":2}", new String(store.get("runs/a/step-1/checkpoint.json"), "UTF-8"));
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
    try (Stream<Path> files = Files.walk(store.root())) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
    }
  }

  @Test
  void rejectsKeysThatCouldEscapeTheRoot(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    for (String bad :
        List.of("../x", "a/../../x", "a/..", "/abs", "a//b", "a/./b", "", "a\\b", "a/")) {
      assertThrows(
          IllegalArgumentException.class, () -> store.put(bad, new byte[1]), "key '" + bad + "'");
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> store.get("runs/../../etc/passwd"));
    assertTrue(e.getMessage().contains(".."), e.getMessage());
    assertEquals("a/b/c", ObjectStore.join("a/", "/b", "", "c/"));
  }
}
