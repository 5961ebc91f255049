package com.magicdistill.cli;

import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint named by a folder on disk: {@code runs/t1/teacher} (a phase: its newest checkpoint)
 * or {@code runs/t1/teacher/step-00000100} (one checkpoint). The parent folder is the store root.
 */
record CheckpointPath(ObjectStore store, String prefix) {
  static CheckpointPath of(Path folder) throws IOException {
    Path abs = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs) || abs.getParent() == null) {
      throw new IllegalArgumentException(
          "checkpoint: "
              + folder
              + " is not a folder; pass a phase folder written by 'magic train teacher',"
              + " e.g. runs/t1/teacher");
    }
    return new CheckpointPath(
        new LocalDirectoryStore(abs.getParent()), abs.getFileName().toString());
  }
}
