package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;

/**
 * Base of the repository tests: one migrated PostgreSQL for all of them in this JVM (started on
 * first use, stopped at exit); each test uses its own run ids.
 */
abstract class RepositoryTestBase {
  static final String SPEC = "{\"name\":\"demo\",\"preset\":\"tiny\",\"stages\":[1,2]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  static final HikariDataSource pool = startDatabase();
  static final Repositories repos = Repositories.of(pool);

  private static HikariDataSource startDatabase() {
    try {
      TestDatabase db = TestDatabase.start(Files.createTempDirectory("magic-repository-test"));
      HikariDataSource pool = Database.connect(db.settings());
      Database.migrate(pool);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    pool.close();
                    db.close();
                  }));
      return pool;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RunRow run(String id, Instant createdAt) {
    return new RunRow(
        id,
        "demo " + id,
        SPEC,
        "sha-" + id,
        "tiny",
        null,
        "wf-" + id,
        "git-1234",
        null,
        null,
        createdAt,
        null,
        null,
        null);
  }

  static void assertSameJson(String expected, String actual) throws Exception {
    assertEquals(JSON.readTree(expected), JSON.readTree(actual));
  }
}
