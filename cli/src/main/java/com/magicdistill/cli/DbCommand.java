package com.magicdistill.cli;

import com.magicdistill.db.Database;
import com.magicdistill.platform.PlatformConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code magic db}: the run-metadata database. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = "Manage the run-metadata database (PostgreSQL from MAGIC_JDBC_*).",
    subcommands = {DbCommand.Migrate.class})
final class DbCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code magic db migrate}: what the chart's pre-upgrade Job runs. */
  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description =
          "Apply pending schema migrations and print the version before and after (once per"
              + " upgrade; workers with MAGIC_DB_MIGRATE=validate then start on it).")
  static final class Migrate implements Callable<Integer> {
    @Override
    public Integer call() {
      PlatformConfig config = PlatformSession.config();
      try (HikariDataSource ds = Database.connect(config.database(), config.process().poolSize())) {
        Database.Migration m = Database.migrateReporting(ds);
        System.out.println(
            m.applied() == 0
                ? "database schema is current (version " + m.to() + ")"
                : "database schema migrated from version "
                    + m.from()
                    + " to "
                    + m.to()
                    + " ("
                    + m.applied()
                    + " migrations)");
      }
      return 0;
    }
  }
}
