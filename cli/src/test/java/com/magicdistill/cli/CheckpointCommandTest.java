package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code magic checkpoint weights} refuses bad folders with one line naming the flag. */
class CheckpointCommandTest {

  private static String runForError(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, MagicCli.run(args));
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anExistingOutFolderIsRefusedAndLeftAlone(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("weights"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    String err =
        runForError(
            "checkpoint", "weights", "--checkpoint", dir.toString(), "--out", out.toString());
    assertTrue(err.contains("--out: " + out + " already exists"), err);
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
  }

  @Test
  void aMissingCheckpointFolderIsNamed(@TempDir Path dir) {
    String err =
        runForError(
            "checkpoint",
            "weights",
            "--checkpoint",
            dir.resolve("nope").toString(),
            "--out",
            dir.resolve("w").toString());
    assertTrue(err.contains("is not a folder; pass a phase folder"), err);
  }
}
