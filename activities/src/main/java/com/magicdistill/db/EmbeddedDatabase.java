package com.magicdistill.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by this JVM (real PostgreSQL binaries shipped in a jar), for tests and
 * {@code ./magic up}. Its data stays in the given directory across restarts. It listens on
 * localhost only; the superuser {@code postgres} connects without a password.
 *
 * <p>Unlike the library's test default, fsync and synchronous commit are on: this database holds
 * the run history of a local installation.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /**
   * Starts PostgreSQL on {@code port} (0: a free port) with its data in {@code dataDir}, creating
   * the cluster there on first use and reusing it afterwards.
   */
  public static EmbeddedDatabase start(Path dataDir, int port) {
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("listen_addresses", "localhost")
              .start();
      LOG.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDir);
      return new EmbeddedDatabase(postgres, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start embedded PostgreSQL on port " + port + " with data in " + dataDir, e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** {@code jdbc:postgresql://localhost:PORT/postgres?user=postgres}. */
  public String jdbcUrl() {
    return postgres.getJdbcUrl(USER, DATABASE);
  }

  /** Settings for {@link Database#connect(DatabaseSettings)}: user postgres, no password. */
  public DatabaseSettings settings() {
    return new DatabaseSettings(jdbcUrl(), USER, "");
  }

  /** An unpooled data source for the {@code postgres} database as user {@code postgres}. */
  public DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  /** Stops the server (fast shutdown); the data directory is kept. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop embedded PostgreSQL in " + dataDir, e);
    }
  }
}
