package com.magicdistill.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to the run-metadata database and brings its schema up to date.
 *
 * <p>The worker and the console both call {@link #migrate} at start; Flyway takes a PostgreSQL
 * advisory lock, so two processes starting together apply each migration once.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Where the {@code db-migrations} module puts {@code V<n>__<name>.sql} on the classpath. */
  public static final String MIGRATIONS_LOCATION = "classpath:db/migrations";

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
    HikariConfig config = new HikariConfig();
    config.setPoolName("magicdistill-db");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(5);
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
    Flyway flyway =
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(ds)
            .locations(MIGRATIONS_LOCATION)
            .failOnMissingLocations(true)
            .load();
    MigrateResult result = flyway.migrate();
    if (result.migrationsExecuted == 0) {
      LOG.info("Database schema is current (version {})", result.initialSchemaVersion);
    } else {
      result.migrations.forEach(
          m ->
              LOG.info(
                  "Applied migration V{} {} in {} ms", m.version, m.description, m.executionTime));
      LOG.info(
          "Database schema migrated from version {} to {}",
          result.initialSchemaVersion == null ? "(empty)" : result.initialSchemaVersion,
          result.targetSchemaVersion);
    }
    return result.migrationsExecuted;
  }
}
