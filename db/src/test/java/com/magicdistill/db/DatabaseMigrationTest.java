package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseMigrationTest {
  @TempDir static Path dataDir;
  private static TestDatabase db;

  @BeforeAll
  static void start() {
    db = TestDatabase.start(dataDir);
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void migratesAnEmptyDatabaseOnceThroughAPool() throws SQLException {
    try (HikariDataSource pool = Database.connect(db.jdbcUrl(), TestDatabase.USER, "")) {
      assertTrue(Database.migrate(pool) >= 1, "first migrate applies the migrations");
      assertEquals(0, Database.migrate(pool), "second migrate is a no-op");

      List<String> tables = new ArrayList<>();
      try (Connection c = pool.getConnection();
          ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      "select table_name from information_schema.tables"
                          + " where table_schema = 'public' order by table_name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertTrue(
          tables.containsAll(
              Set.of(
                  "runs",
                  "stages",
                  "stage_attempts",
                  "checkpoints",
                  "metrics",
                  "artifacts",
                  "exported_models",
                  "stage_cache",
                  "flyway_schema_history")),
          tables.toString());
    }
  }
}
