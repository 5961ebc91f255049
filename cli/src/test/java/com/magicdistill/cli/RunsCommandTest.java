package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.S3ProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./magic runs} with no platform up says how to start one. */
class RunsCommandTest {
  @TempDir Path home;

  @Test
  void withNothingRunningItSaysToStartThePlatform() throws Exception {
    int port = S3ProxyServer.freePort();
    PlatformConfig embedded = PlatformConfig.embeddedDefaults(home, port, port, port);
    var e = assertThrows(IOException.class, () -> RunsCommand.requireReachable(embedded, false));
    assertTrue(e.getMessage().contains("./magic up"), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void aConfiguredDatabaseThatDoesNotAnswerNamesItsVariable() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + S3ProxyServer.freePort() + "/magic";
    PlatformConfig config =
        PlatformConfig.fromEnv(
            Map.of(
                "MAGIC_HOME",
                home.toString(),
                "MAGIC_JDBC_URL",
                url,
                "MAGIC_JDBC_USER",
                "u",
                "MAGIC_JDBC_PASSWORD",
                "p"));
    var e = assertThrows(IOException.class, () -> RunsCommand.requireReachable(config, false));
    assertTrue(e.getMessage().contains(url), e.getMessage());
    assertTrue(e.getMessage().contains("MAGIC_JDBC_URL"), e.getMessage());
  }

  @Test
  void steeringARunAlsoNeedsTemporal() throws Exception {
    try (ServerSocket db = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int temporal = S3ProxyServer.freePort();
      PlatformConfig config =
          PlatformConfig.embeddedDefaults(
              home, temporal, S3ProxyServer.freePort(), db.getLocalPort());
      RunsCommand.requireReachable(config, false); // listing needs only PostgreSQL
      var e = assertThrows(IOException.class, () -> RunsCommand.requireReachable(config, true));
      assertTrue(
          e.getMessage().contains("no Temporal frontend at 127.0.0.1:" + temporal), e.getMessage());
      assertTrue(e.getMessage().contains("./magic up"), e.getMessage());
    }
  }

  @Test
  void theProbeReadsHostAndPortFromTheJdbcUrl() {
    assertEquals("db.internal:5432", RunsCommand.hostPort("jdbc:postgresql://db.internal/magic"));
    assertEquals(
        "127.0.0.1:5433", RunsCommand.hostPort("jdbc:postgresql://127.0.0.1:5433/postgres"));
    assertEquals("h:1", RunsCommand.hostPort("jdbc:postgresql://h:1/x?ssl=true"));
    assertNull(RunsCommand.hostPort("jdbc:postgresql://a:1,b:2/x"));
    assertNull(RunsCommand.hostPort("jdbc:h2:mem:x"));
  }
}
