package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run metadata in an embedded database survives a stop and start on the same data directory. */
class DatabaseRestartTest {
  @TempDir Path dataDir;

  @Test
  void dataSurvivesRestart() {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0)) {
      Database.migrate(db.dataSource());
      new RunRepository(db.dataSource())
          .createRun(
              new RunRepository.RunRow(
                  "r-restart",
                  "restart",
                  "{\"steps\": 3}",
                  "abc",
                  "tiny",
                  null,
                  null,
                  "v1",
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0)) {
      assertEquals(0, Database.migrate(db.dataSource()), "schema is already current");
      RunRepository.RunRow run =
          new RunRepository(db.dataSource()).findRun("r-restart").orElseThrow();
      assertEquals("QUEUED", run.status());
      assertEquals("{\"steps\": 3}", run.specJson());
      assertTrue(run.createdAt().isBefore(Instant.now().plusSeconds(1)));
    }
  }
}
