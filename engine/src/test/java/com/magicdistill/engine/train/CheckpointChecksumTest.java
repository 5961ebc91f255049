package com.magicdistill.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.engine.io.Crc32c;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.storage.LocalDirectoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint's manifest carries the CRC-32C of its tensor file (format /2), which load verifies;
 * checkpoints of the earlier format (/1, a sha256) still load and are verified by their sha256;
 * lineage gets the tensor file's sha256 either way.
 */
class CheckpointChecksumTest {
  private static final String RUN = "runs/c";
  private static final String PREFIX = RUN + "/step-00000002";

  private static void train(LocalDirectoryStore store, NDManager m) throws IOException {
    Block block =
        TinyModels.mlp(
            m,
            TrainerResumeTest.B,
            TrainerResumeTest.T,
            TrainerResumeTest.D,
            TrainerResumeTest.H,
            5);
    try (Trainer t =
        new Trainer(
            block,
            null,
            TrainerResumeTest.config(2).withCheckpointEvery(0),
            TinyModels.regression(TrainerResumeTest.B, TrainerResumeTest.T, TrainerResumeTest.D),
            store,
            RUN)) {
      t.run();
    }
  }

  @Test
  void theManifestHoldsTheCrc32cOfTheTensorFile(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      train(store, m);
      CheckpointIO.Manifest manifest = CheckpointIO.readManifest(store, PREFIX);
      byte[] tensors = store.get(PREFIX + "/" + CheckpointIO.TENSORS);
      assertEquals(CheckpointIO.FORMAT, manifest.format());
      assertEquals(Crc32c.of(tensors), manifest.crc32c());
      assertNull(manifest.sha256());
      assertEquals("crc32c:" + Crc32c.of(tensors), manifest.checksum());
      assertEquals(Sha256.of(tensors), CheckpointIO.tensorSha256(store, PREFIX));
      CheckpointIO.load(store, PREFIX, m).close();
    }
  }

  @Test
  void aCheckpointOfTheSha256FormatStillLoadsAndIsVerified(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      train(store, m);
      Path tensorFile = store.pathOf(PREFIX + "/" + CheckpointIO.TENSORS);
      byte[] tensors = Files.readAllBytes(tensorFile);
      // the manifest as the earlier format wrote it
      ObjectNode old = (ObjectNode) Json.MAPPER.readTree(store.get(PREFIX + "/checkpoint.json"));
      old.put("format", CheckpointIO.FORMAT_SHA256);
      old.remove("crc32c");
      old.put("sha256", Sha256.of(tensors));
      store.put(PREFIX + "/checkpoint.json", Json.MAPPER.writeValueAsBytes(old));

      try (TrainingCheckpoint cp = CheckpointIO.load(store, PREFIX, m)) {
        assertEquals(2, cp.step());
      }
      assertEquals(Sha256.of(tensors), CheckpointIO.tensorSha256(store, PREFIX));

      tensors[tensors.length - 1] ^= 1;
      Files.write(tensorFile, tensors);
      IOException e = assertThrows(IOException.class, () -> CheckpointIO.load(store, PREFIX, m));
      assertTrue(e.getMessage().contains("sha256:"), e.getMessage());
    }
  }

  @Test
  void aManifestWithoutItsChecksumIsCorrupt(@TempDir Path dir) throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      train(store, m);
      ObjectNode manifest =
          (ObjectNode) Json.MAPPER.readTree(store.get(PREFIX + "/checkpoint.json"));
      manifest.remove("crc32c");
      store.put(PREFIX + "/checkpoint.json", Json.MAPPER.writeValueAsBytes(manifest));
      CorruptCheckpointException e =
          assertThrows(
              CorruptCheckpointException.class, () -> CheckpointIO.readManifest(store, PREFIX));
      assertTrue(e.getMessage().contains("crc32c"), e.getMessage());
    }
  }
}
