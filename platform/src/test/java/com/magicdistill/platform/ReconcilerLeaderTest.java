package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.db.Database;
import com.magicdistill.db.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two pipeline workers' reconcilers on one database: one acts; the other takes over. */
@Timeout(120)
class ReconcilerLeaderTest {
  @TempDir Path dataDir;

  @Test
  void onlyOneReconcilesAndTheOtherTakesOver() {
    try (TestDatabase db = TestDatabase.start(dataDir);
        HikariDataSource poolA = Database.connect(db.settings(), 2);
        HikariDataSource poolB = Database.connect(db.settings(), 2)) {
      AtomicInteger actedA = new AtomicInteger();
      AtomicInteger actedB = new AtomicInteger();
      ReconcilerLeader a = new ReconcilerLeader(poolA, "a");
      ReconcilerLeader b = new ReconcilerLeader(poolB, "b");
      for (int round = 0; round < 3; round++) {
        a.runIfLeader(actedA::incrementAndGet);
        b.runIfLeader(actedB::incrementAndGet);
      }
      assertEquals(3, actedA.get(), "the first to try leads every round");
      assertEquals(0, actedB.get(), "the other must not reconcile while the first leads");

      a.close();
      assertTrue(b.runIfLeader(actedB::incrementAndGet), "the other takes over");
      assertFalse(a.runIfLeader(actedA::incrementAndGet), "the first is now a follower");
      assertEquals(3, actedA.get());
      assertEquals(1, actedB.get());
      b.close();
    }
  }

  @Test
  void aLeaderWhoseSessionDiesIsReplaced() throws Exception {
    try (TestDatabase db = TestDatabase.start(dataDir);
        HikariDataSource poolA = Database.connect(db.settings(), 2);
        HikariDataSource poolB = Database.connect(db.settings(), 2);
        ReconcilerLeader a = new ReconcilerLeader(poolA, "a");
        ReconcilerLeader b = new ReconcilerLeader(poolB, "b")) {
      assertTrue(a.lead());
      assertFalse(b.lead());
      // What a PostgreSQL restart or a network cut does to the leader's session.
      try (Connection c = poolB.getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "select pg_terminate_backend(pid) from pg_locks"
                + " where locktype = 'advisory' and pid <> pg_backend_pid()");
      }
      // pg_terminate_backend only signals: the lock goes when that backend has exited.
      long deadline = System.nanoTime() + 10_000_000_000L;
      boolean bLeads = b.lead();
      while (!bLeads && System.nanoTime() < deadline) {
        Thread.sleep(50);
        bLeads = b.lead();
      }
      assertTrue(bLeads, "the lock went with the dead session; another worker takes it");
      assertFalse(a.lead(), "the old leader notices and follows");
    }
  }
}
