package com.magicdistill.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to the run-metadata database and brings its schema up to date.
 *
 * <p>The worker and the console call {@link #migrate} at start (or only {@link #requireCurrent}
 * with {@code MAGIC_DB_MIGRATE=validate}); Flyway takes a PostgreSQL advisory lock, so two
 * processes starting together apply each migration once.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Where the {@code db-migrations} module puts {@code V<n>__<name>.sql} on the classpath. */
  public static final String MIGRATIONS_LOCATION = "classpath:db/migrations";

  /** Hikari's maximum pool size unless {@code MAGIC_JDBC_POOL_SIZE} says otherwise. */
  public static final int DEFAULT_POOL_SIZE = 5;

  private Database() {}

  /**
   * A small connection pool (HikariCP, at most 5 connections). It is a {@link DataSource}; close it
   * when the process is done with the database (Spring does so for a {@code @Bean}).
   */
  public static HikariDataSource connect(String jdbcUrl, String user, String password) {
    return connect(new DatabaseSettings(jdbcUrl, user, password));
  }

  /** {@link #connect(String, String, String)} with validated settings. */
  public static HikariDataSource connect(DatabaseSettings settings) {
    return connect(settings, DEFAULT_POOL_SIZE);
  }

  /** {@link #connect(DatabaseSettings)} with at most {@code poolSize} connections. */
  public static HikariDataSource connect(DatabaseSettings settings, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("magicdistill-db");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    return new HikariDataSource(config);
  }

  /**
   * Applies the pending migrations from {@value #MIGRATIONS_LOCATION}; a no-op when the schema is
   * current. Fails when the migrations are missing from the classpath rather than running none.
   *
   * @return how many migrations were applied now
   */
  public static int migrate(DataSource ds) {
    return migrateReporting(ds).applied();
  }

  /** The schema version before and after a migration, and how many migrations it applied. */
  public record Migration(String from, String to, int applied) {}

  /** {@link #migrate} that also says from and to which version ("(empty)" for none). */
  public static Migration migrateReporting(DataSource ds) {
    MigrateResult result = flyway(ds).migrate();
    String from =
        result.initialSchemaVersion == null ? "(empty)" : result.initialSchemaVersion.toString();
    if (result.migrationsExecuted == 0) {
      LOG.info("Database schema is current (version {})", from);
      return new Migration(from, from, 0);
    }
    result.migrations.forEach(
        m ->
            LOG.info(
                "Applied migration V{} {} in {} ms", m.version, m.description, m.executionTime));
    LOG.info("Database schema migrated from version {} to {}", from, result.targetSchemaVersion);
    return new Migration(from, result.targetSchemaVersion, result.migrationsExecuted);
  }

  /**
   * Refuses a schema that is behind this release (pending migrations) without changing it: what a
   * worker or console started with {@code MAGIC_DB_MIGRATE=validate} does.
   *
   * @throws IllegalStateException naming the versions and {@code ./magic db migrate}
   */
  public static void requireCurrent(DataSource ds) {
    MigrationInfoService info = flyway(ds).info();
    MigrationInfo[] pending = info.pending();
    if (pending.length > 0) {
      MigrationInfo current = info.current();
      throw new IllegalStateException(
          "the database schema is at version "
              + (current == null ? "(empty)" : current.getVersion())
              + " but this release needs "
              + pending[pending.length - 1].getVersion()
              + ": run ./magic db migrate (the chart's migration Job does) before starting"
              + " workers and the console with MAGIC_DB_MIGRATE=validate");
    }
  }

  private static Flyway flyway(DataSource ds) {
    return Flyway.configure(Database.class.getClassLoader())
        .dataSource(ds)
        .locations(MIGRATIONS_LOCATION)
        .failOnMissingLocations(true)
        .load();
  }
}
