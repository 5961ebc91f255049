package com.magicdistill.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A throwaway PostgreSQL for tests (real PostgreSQL binaries from a jar), data in {@code dataDir}.
 * The platform's embedded database (data kept across restarts, orphan cleanup) is tested in the
 * platform module.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;

  private TestDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a fresh cluster on a free loopback port. */
  public static TestDatabase start(Path dataDir) {
    try {
      return new TestDatabase(
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(true)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the test PostgreSQL in " + dataDir, e);
    }
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl(USER, "postgres");
  }

  public DatabaseSettings settings() {
    return new DatabaseSettings(jdbcUrl(), USER, "");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
