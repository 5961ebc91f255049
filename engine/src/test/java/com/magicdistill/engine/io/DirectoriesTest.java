package com.magicdistill.engine.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {
  @Test
  void deletesATreeAndLeavesItsNeighbours(@TempDir Path dir) throws Exception {
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("a/b"));
    Files.writeString(tree.resolve("a/b/f.txt"), "x");
    Files.writeString(tree.resolve("g.txt"), "y");
    Path neighbour = Files.writeString(dir.resolve("keep.txt"), "z");

    Directories.deleteRecursively(tree);

    assertFalse(Files.exists(tree));
    assertTrue(Files.exists(neighbour));
  }

  @Test
  void aMissingFolderIsNoError(@TempDir Path dir) throws Exception {
    Directories.deleteRecursively(dir.resolve("absent"));
    assertTrue(Files.exists(dir));
  }
}
