package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {
  private static final String URL = "jdbc:postgresql://db.internal:5432/magicdistill";

  @Test
  void readsTheThreeVariables() {
    DatabaseSettings s =
        DatabaseSettings.fromEnv(
            Map.of(
                "MAGIC_JDBC_URL",
                URL,
                "MAGIC_JDBC_USER",
                "magic",
                "MAGIC_JDBC_PASSWORD",
                "s3cret"));
    assertEquals(new DatabaseSettings(URL, "magic", "s3cret"), s);
  }

  @Test
  void passwordIsOptionalAndNeverPrinted() {
    assertEquals(
        "",
        DatabaseSettings.fromEnv(Map.of("MAGIC_JDBC_URL", URL, "MAGIC_JDBC_USER", "u")).password());
    String shown = new DatabaseSettings(URL, "magic", "s3cret").toString();
    assertFalse(shown.contains("s3cret"), shown);
    assertTrue(shown.contains(URL) && shown.contains("magic"), shown);
  }

  @Test
  void missingUrlNamesTheField() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DatabaseSettings.fromEnv(Map.of("MAGIC_JDBC_USER", "magic")));
    assertTrue(e.getMessage().contains("jdbcUrl") && e.getMessage().contains("MAGIC_JDBC_URL"));
  }

  @Test
  void nonPostgresUrlNamesTheField() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DatabaseSettings("jdbc:mysql://x/y?password=hidden", "magic", ""));
    assertTrue(e.getMessage().contains("MAGIC_JDBC_URL"), e.getMessage());
    assertFalse(e.getMessage().contains("hidden"), "query parameters may hold a password");
  }

  @Test
  void blankUserNamesTheField() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DatabaseSettings.fromEnv(Map.of("MAGIC_JDBC_URL", URL, "MAGIC_JDBC_USER", " ")));
    assertTrue(e.getMessage().contains("user") && e.getMessage().contains("MAGIC_JDBC_USER"));
  }
}
