package com.magicdistill.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one reconciler act at a time across all pipeline workers: the leader holds a PostgreSQL
 * session advisory lock on a connection it keeps open; the lock goes with that connection (closed,
 * or the process gone), and the next worker to try takes over. Needs session pooling (a PgBouncer
 * in transaction mode would hand the lock to another client).
 */
final class ReconcilerLeader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerLeader.class);

  /** The advisory lock key: "magicdistill reconciler", distinct from Flyway's. */
  static final long LOCK_KEY = 0x4d44_5265_636f_6e63L;

  private final DataSource dataSource;
  private final String identity;
  private Connection held;

  ReconcilerLeader(DataSource dataSource, String identity) {
    this.dataSource = dataSource;
    this.identity = identity;
  }

  /** Runs {@code action} if this worker is (or now becomes) the leader; returns whether it did. */
  synchronized boolean runIfLeader(Runnable action) {
    if (!lead()) {
      return false;
    }
    action.run();
    return true;
  }

  /** Whether this worker holds the lock, trying to take it when it does not. */
  synchronized boolean lead() {
    if (held != null) {
      try {
        if (held.isValid(5)) {
          return true;
        }
      } catch (SQLException e) {
        // treated as lost below
      }
      LOG.warn("reconciler {} lost its database session; no longer leader", identity);
      release();
    }
    Connection c = null;
    try {
      c = dataSource.getConnection();
      try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_lock(?)")) {
        s.setLong(1, LOCK_KEY);
        try (ResultSet r = s.executeQuery()) {
          if (r.next() && r.getBoolean(1)) {
            held = c;
            LOG.info("reconciler {} is the leader", identity);
            return true;
          }
        }
      }
    } catch (SQLException e) {
      LOG.warn("reconciler {} could not try the leader lock: {}", identity, e.toString());
    }
    closeQuietly(c);
    return false;
  }

  /** Gives up leadership (unlock, and the connection back to its pool). */
  @Override
  public synchronized void close() {
    release();
  }

  private void release() {
    if (held == null) {
      return;
    }
    try (PreparedStatement s = held.prepareStatement("select pg_advisory_unlock(?)")) {
      s.setLong(1, LOCK_KEY);
      s.execute();
    } catch (SQLException e) {
      // The session is gone (and the lock with it), or it is not: never pool a locked session.
      if (dataSource instanceof HikariDataSource pool) {
        pool.evictConnection(held);
      }
    }
    closeQuietly(held);
    held = null;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // nothing to release
    }
  }
}
