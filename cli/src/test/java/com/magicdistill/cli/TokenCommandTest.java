package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.db.ApiTokenRepository;
import com.magicdistill.db.ApiTokens;
import com.magicdistill.db.AuditLogRepository;
import com.magicdistill.db.AuditLogRepository.AuditEntry;
import com.magicdistill.db.Database;
import com.magicdistill.db.TeamScope;
import com.magicdistill.platform.EmbeddedDatabase;
import com.magicdistill.platform.S3ProxyServer;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./magic token create} and {@code revoke} write the audit log as the console does. */
class TokenCommandTest {
  @TempDir Path home;

  @Test
  void createAndRevokeAreAudited() throws Exception {
    try (EmbeddedDatabase db =
            EmbeddedDatabase.start(home.resolve("pg"), S3ProxyServer.freePort());
        HikariDataSource ds = Database.connect(db.settings(), 2)) {
      Database.migrate(ds);
      ApiTokens.NewToken token =
          TokenCommand.Create.issue(ds, "recsys", "cli", List.of("runs:read"), "cli:alice");
      assertTrue(new ApiTokenRepository(ds).find(token.id()).isPresent());
      assertTrue(TokenCommand.Revoke.revoke(ds, "recsys", token.id(), "cli:alice"));
      assertFalse(TokenCommand.Revoke.revoke(ds, "recsys", "nosuchid", "cli:alice"));

      List<AuditEntry> log = new AuditLogRepository(ds).recent(TeamScope.team("recsys"), 10);
      assertEquals(
          List.of("token.revoke", "token.create"), log.stream().map(AuditEntry::action).toList());
      for (AuditEntry e : log) {
        assertEquals("cli:alice", e.actor());
        assertEquals("recsys", e.teamId());
        assertEquals("token:" + token.id(), e.target());
      }
    }
  }
}
