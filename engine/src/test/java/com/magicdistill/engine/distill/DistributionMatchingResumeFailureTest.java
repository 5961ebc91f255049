package com.magicdistill.engine.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.NoUsableCheckpointException;
import com.magicdistill.storage.LocalDirectoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming a DMD stage over broken checkpoints: a bad stage pointer or checkpoint is skipped for
 * the pair before it; when no pair loads, the stage fails naming its folder instead of silently
 * starting over.
 */
class DistributionMatchingResumeFailureTest {
  static final String STAGE = "dmd";

  @TempDir static Path trained;
  @TempDir Path dir;
  LocalDirectoryStore store;

  /** Four iterations once, so checkpoint pairs at 2 and 4 (checkpointEvery 2). */
  @BeforeAll
  static void runFourIterations() throws IOException {
    new DistributionMatchingResumeFailureTest().runIn(trained);
  }

  /** Each test breaks its own copy. */
  @BeforeEach
  void copyTheTrainedStage() throws IOException {
    try (Stream<Path> files = Files.walk(trained)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = dir.resolve(trained.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    store = new LocalDirectoryStore(dir);
    assertTrue(store.exists(STAGE + "/" + DistributionMatching.HISTORY + "/iter-00000002.json"));
  }

  private void runIn(Path root) throws IOException {
    store = new LocalDirectoryStore(root);
    assertEquals(List.of(), run());
  }

  private List<Long> run() throws IOException {
    List<Long> resumedAt = new ArrayList<>();
    DistillConfig cfg = DistributionMatchingTest.config(4, 0f, false);
    try (NDManager m = NDManager.newBaseManager()) {
      DistillModels models = DistillModels.fromTeacher(DistributionMatchingTest.teacher(m), cfg, m);
      var result =
          new DistributionMatching(STAGE, cfg)
              .run(
                  models,
                  DistributionMatchingTest.clips(),
                  null,
                  0,
                  new CheckpointedRun<DistributionMatching.Listener>(
                      store,
                      STAGE,
                      true,
                      new DistributionMatching.Listener() {
                        @Override
                        public void onIteration(DistributionMatching.IterationStats stats) {}

                        @Override
                        public void onResume(long iteration, String generatorCheckpoint) {
                          resumedAt.add(iteration);
                        }
                      },
                      null));
      assertEquals(4, result.endIteration());
    }
    return resumedAt;
  }

  private void write(String key, String text) throws IOException {
    Files.writeString(store.pathOf(key), text, StandardCharsets.UTF_8);
  }

  private String pointer() {
    return STAGE + "/" + DistributionMatching.POINTER;
  }

  @Test
  void aLatestJsonThatIsNotJsonFallsBackToThePointerHistory() throws IOException {
    write(pointer(), "{\"stage\": \"dmd\", \"iteration\": ");
    assertEquals(List.of(4L), run());
  }

  @Test
  void aDanglingGeneratorCheckpointInLatestJsonFallsBackToThePairBefore() throws IOException {
    String json = Files.readString(store.pathOf(pointer()));
    write(pointer(), json.replace("step-00000004", "step-00000099"));
    assertEquals(List.of(2L), run());
  }

  @Test
  void aMissingCriticManifestFallsBackToThePairBefore() throws IOException {
    String critic = DistributionMatching.Pointer.read(store, STAGE).critic();
    store.delete(critic + "/" + CheckpointIO.MANIFEST);
    assertEquals(List.of(2L), run());
  }

  @Test
  void everyPairCorruptFailsNamingTheStageFolderAndTheFix() throws IOException {
    for (String step : List.of("step-00000002", "step-00000004")) {
      Path tensors = store.pathOf(STAGE + "/generator/" + step + "/" + CheckpointIO.TENSORS);
      Files.write(tensors, new byte[] {1, 2, 3});
    }
    NoUsableCheckpointException e = assertThrows(NoUsableCheckpointException.class, this::run);
    String msg = e.getMessage();
    assertTrue(msg.contains(dir.resolve(STAGE).toString()), msg);
    assertTrue(msg.contains("checksum"), msg);
    assertTrue(msg.contains("Delete the folder") && msg.contains("start a new run"), msg);
  }

  @Test
  void everyPointerMalformedFailsInsteadOfStartingOver() throws IOException {
    write(pointer(), "garbage");
    for (String it : List.of("iter-00000002.json", "iter-00000004.json")) {
      write(STAGE + "/" + DistributionMatching.HISTORY + "/" + it, "[");
    }
    NoUsableCheckpointException e = assertThrows(NoUsableCheckpointException.class, this::run);
    assertTrue(e.getMessage().contains("3 tried"), e.getMessage());
  }
}
