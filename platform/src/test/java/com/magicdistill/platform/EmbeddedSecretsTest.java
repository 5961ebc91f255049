package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded S3 secret and PostgreSQL password: generated per MAGIC_HOME, kept across restarts,
 * required by the services, written owner-only, never printed; and a deployment outside the
 * embedded stack refuses well-known default credentials.
 */
class EmbeddedSecretsTest {
  @TempDir Path home;

  @Test
  void credentialsAreGeneratedPerHomeKeptOwnerOnlyAndReused(@TempDir Path other) throws Exception {
    EmbeddedCredentials first = EmbeddedCredentials.loadOrCreate(home);
    Path file = home.resolve(EmbeddedCredentials.FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(first, EmbeddedCredentials.loadOrCreate(home));
    EmbeddedCredentials second = EmbeddedCredentials.loadOrCreate(other);
    assertNotEquals(first.s3Secret(), second.s3Secret());
    assertNotEquals(first.databasePassword(), second.databasePassword());
    assertTrue(first.s3Secret().length() >= 40, "32 random bytes");
    assertFalse(PlatformConfig.KNOWN_DEFAULT_S3_SECRETS.contains(first.s3Secret()));
    String shown = first.toString() + PlatformConfig.fromEnv(Map.of("MAGIC_HOME", home.toString()));
    assertFalse(shown.contains(first.s3Secret()), shown);
    assertFalse(shown.contains(first.databasePassword()), shown);
  }

  @Test
  void fromEnvUsesTheHomesCredentials() {
    EmbeddedCredentials c = EmbeddedCredentials.loadOrCreate(home);
    PlatformConfig config = PlatformConfig.fromEnv(Map.of("MAGIC_HOME", home.toString()));
    assertEquals(c.s3Secret(), config.s3().secretKey());
    assertEquals(c.databasePassword(), config.database().password());
  }

  @Test
  void aDeploymentWithBothServicesElsewhereCreatesNoCredentialsFile() {
    PlatformConfig.fromEnv(
        Map.of(
            "MAGIC_HOME", home.toString(),
            "MAGIC_S3_ENDPOINT", "http://minio:9000",
            "MAGIC_S3_SECRET_KEY", "s3cr3t-of-the-cluster",
            "MAGIC_JDBC_URL", "jdbc:postgresql://db:5432/magic",
            "MAGIC_JDBC_USER", "magic"));
    assertFalse(Files.exists(home.resolve(EmbeddedCredentials.FILE)));
  }

  @Test
  void aServiceElsewhereRefusesAWellKnownDefaultCredential() {
    for (String secret : new String[] {"magicdistill-local-secret", "minioadmin", "change-me"}) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  PlatformConfig.fromEnv(
                      env(
                          "MAGIC_S3_ENDPOINT",
                          "http://minio:9000",
                          "MAGIC_S3_SECRET_KEY",
                          secret)));
      assertTrue(e.getMessage().contains("MAGIC_S3_SECRET_KEY"), e.getMessage());
      assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PlatformConfig.fromEnv(
                    env(
                        "MAGIC_JDBC_URL", "jdbc:postgresql://db:5432/magic",
                        "MAGIC_JDBC_USER", "magic",
                        "MAGIC_JDBC_PASSWORD", "postgres")));
    assertTrue(e.getMessage().contains("MAGIC_JDBC_PASSWORD"), e.getMessage());
  }

  /**
   * A start and a restart of the embedded stack: the same generated credentials both times,
   * PostgreSQL requires the password, platform.env is 0600, and no secret reaches the console, the
   * log or S3Proxy's log.
   */
  @Test
  void theStackKeepsItsCredentialsAcrossARestartAndNeverPrintsThem() throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
    PlatformConfig config =
        PlatformConfig.embeddedDefaults(
            home, S3ProxyServer.freePort(), S3ProxyServer.freePort(), S3ProxyServer.freePort());
    EmbeddedCredentials credentials = EmbeddedCredentials.loadOrCreate(home);
    System.setOut(tee);
    System.setErr(tee);
    try {
      for (int start = 0; start < 2; start++) {
        try (EmbeddedStack stack = EmbeddedStack.start(config);
            Connections c = new Connections(config)) {
          c.store().put("probe/" + start, new byte[] {1});
          assertEquals(0, c.repositories().runs().listRuns(1).size());
          assertNoPasswordRefused(config);
          System.out.println(stack.config());
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    Path env = home.resolve("platform.env");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
    assertTrue(Files.readString(env).contains(credentials.s3Secret()));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(home.resolve("s3/s3proxy.properties"))));
    String printed =
        captured.toString(StandardCharsets.UTF_8)
            + Files.readString(home.resolve("s3/s3proxy.log"));
    assertTrue(printed.contains("embedded stack up"), "the log was captured: " + printed);
    for (String secret : new String[] {credentials.s3Secret(), credentials.databasePassword()}) {
      assertFalse(printed.contains(secret), "a secret was printed:\n" + printed);
    }
  }

  private static void assertNoPasswordRefused(PlatformConfig config) {
    String url = config.database().jdbcUrl();
    assertThrows(SQLException.class, () -> connect(url, ""));
    assertThrows(SQLException.class, () -> connect(url, "postgres"));
  }

  private static void connect(String url, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", password)) {
      c.isValid(1);
    }
  }

  private Map<String, String> env(String... kv) {
    Map<String, String> env = new HashMap<>();
    env.put("MAGIC_HOME", home.toString());
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return env;
  }
}
