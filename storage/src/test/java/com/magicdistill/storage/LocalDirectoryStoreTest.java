package com.magicdistill.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
    ObjectStoreContract.putGetListDelete(store, dir);
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
