package com.magicdistill.console;

import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.db.Database;
import com.magicdistill.db.TestDatabase;
import com.magicdistill.storage.LocalDirectoryStore;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One throwaway PostgreSQL, object store directory and fake Temporal per test JVM, shared by every
 * Spring test (one context): the console's tests are about HTTP, auth and SQL, not Temporal.
 */
public final class ConsoleTestStack {
  private static ConsoleTestStack instance;

  public final Path dir;
  public final TestDatabase database;
  public final HikariDataSource dataSource;
  public final LocalDirectoryStore store;
  public final FakeRunControl control = new FakeRunControl();

  private ConsoleTestStack() throws IOException {
    dir = Files.createTempDirectory("console-test");
    database = TestDatabase.start(dir.resolve("pg"));
    dataSource = Database.connect(database.settings());
    Database.migrate(dataSource);
    store = new LocalDirectoryStore(dir.resolve("objects"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  dataSource.close();
                  database.close();
                }));
  }

  public static synchronized ConsoleTestStack get() {
    if (instance == null) {
      try {
        instance = new ConsoleTestStack();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  public ConsoleBackends backends() {
    return new ConsoleBackends(dataSource, store, control, dir.resolve("home"), "test");
  }
}
