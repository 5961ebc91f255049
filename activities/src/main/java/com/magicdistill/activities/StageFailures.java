package com.magicdistill.activities;

import com.magicdistill.db.RepositoryException;
import com.magicdistill.engine.data.ShardIntegrityException;
import com.magicdistill.engine.export.PackageIntegrityException;
import com.magicdistill.engine.train.CorruptCheckpointException;
import com.magicdistill.storage.ObjectNotFoundException;
import java.io.IOException;
import java.sql.SQLException;

/**
 * Tells a stage attempt's failure by the infrastructure (the object store or PostgreSQL could not
 * be reached: retried like a preemption, never counted) from a code or data error (counted against
 * the stage's error budget, docs/PIPELINE.md#failures).
 */
final class StageFailures {
  private StageFailures() {}

  /**
   * Whether {@code e} comes from an unreachable store or database: an I/O or SQL error anywhere in
   * its causes, unless one of them says the data itself is bad (a corrupt shard, checkpoint or
   * package, a missing object), which no retry fixes.
   */
  static boolean unreachable(Throwable e) {
    boolean io = false;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ShardIntegrityException
          || c instanceof PackageIntegrityException
          || c instanceof CorruptCheckpointException
          || c instanceof ObjectNotFoundException) {
        return false;
      }
      io |=
          c instanceof IOException || c instanceof SQLException || c instanceof RepositoryException;
    }
    return io;
  }

  /** The message a user sees for a code or data error: the innermost cause's, else its class. */
  static String message(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
  }
}
