package com.magicdistill.activities;

import com.magicdistill.db.Database;
import com.magicdistill.db.Repositories;
import com.magicdistill.db.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base of activity tests that need a migrated PostgreSQL: one embedded database per class. */
abstract class EmbeddedRepositoryTest {
  @TempDir static Path dir;
  static Repositories repos;
  private static TestDatabase db;
  private static HikariDataSource pool;

  @BeforeAll
  static void startDatabase() {
    db = TestDatabase.start(dir.resolve("pg"));
    pool = Database.connect(db.settings());
    Database.migrate(pool);
    repos = Repositories.of(pool);
  }

  @AfterAll
  static void stopDatabase() {
    pool.close();
    db.close();
  }
}
