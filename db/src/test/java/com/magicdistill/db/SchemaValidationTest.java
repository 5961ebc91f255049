package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MAGIC_DB_MIGRATE=validate: a schema behind this release is refused, a current one accepted. */
class SchemaValidationTest {
  @TempDir Path dataDir;

  @Test
  void behindIsRefusedUntilMigrated() {
    try (TestDatabase db = TestDatabase.start(dataDir);
        HikariDataSource pool = Database.connect(db.settings(), 3)) {
      assertEquals(3, pool.getMaximumPoolSize());
      var empty = assertThrows(IllegalStateException.class, () -> Database.requireCurrent(pool));
      assertTrue(empty.getMessage().contains("version (empty)"), empty.getMessage());

      // The schema of the previous release: V1 only.
      Flyway.configure(Database.class.getClassLoader())
          .dataSource(pool)
          .locations(Database.MIGRATIONS_LOCATION)
          .target("1")
          .load()
          .migrate();
      var behind = assertThrows(IllegalStateException.class, () -> Database.requireCurrent(pool));
      assertTrue(behind.getMessage().contains("at version 1 "), behind.getMessage());
      assertTrue(behind.getMessage().contains("./magic db migrate"), behind.getMessage());

      var all =
          Flyway.configure(Database.class.getClassLoader())
              .dataSource(pool)
              .locations(Database.MIGRATIONS_LOCATION)
              .load()
              .info()
              .all();
      String latest = all[all.length - 1].getVersion().getVersion();
      Database.Migration m = Database.migrateReporting(pool);
      assertEquals("1", m.from());
      assertEquals(latest, m.to());
      assertEquals(all.length - 1, m.applied());
      assertDoesNotThrow(() -> Database.requireCurrent(pool));
      assertEquals(new Database.Migration(latest, latest, 0), Database.migrateReporting(pool));
    }
  }
}
