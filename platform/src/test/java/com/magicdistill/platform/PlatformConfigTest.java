package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which {@code MAGIC_*} variables go together: each service (Temporal, S3, PostgreSQL) is embedded
 * unless its address variable is set; the other variables of a service only count with its address;
 * a bad value fails naming the variable to fix.
 */
class PlatformConfigTest {
  @TempDir static Path home;

  private static PlatformConfig config(String... kv) {
    Map<String, String> env = new HashMap<>();
    env.put("MAGIC_HOME", home.toString());
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return PlatformConfig.fromEnv(env);
  }

  private static void assertFailsNaming(String variable, String... kv) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(kv));
    assertTrue(e.getMessage().contains(variable), "should name " + variable + ": " + e);
  }

  @Test
  void noVariablesMeansEverythingEmbeddedOnTheDefaultPorts() {
    PlatformConfig c = config();
    assertTrue(c.embeddedS3() && c.embeddedDatabase() && c.temporal().embedded());
    assertEquals("127.0.0.1:7233", c.temporal().target());
    assertEquals("http://127.0.0.1:9000", c.s3().endpoint());
    assertEquals("jdbc:postgresql://127.0.0.1:5433/postgres", c.database().jdbcUrl());
    assertEquals(home, c.home());
  }

  @Test
  void eachServiceIsReplacedOnlyByItsOwnAddressVariable() {
    PlatformConfig s3 = config("MAGIC_S3_ENDPOINT", "http://minio:9000");
    assertFalse(s3.embeddedS3());
    assertTrue(s3.embeddedDatabase() && s3.temporal().embedded());
    // Credentials not given fall back to the embedded ones.
    assertEquals(PlatformConfig.EMBEDDED_S3_ACCESS, s3.s3().accessKey());

    PlatformConfig db =
        config("MAGIC_JDBC_URL", "jdbc:postgresql://db:5432/magic", "MAGIC_JDBC_USER", "magic");
    assertFalse(db.embeddedDatabase());
    assertTrue(db.embeddedS3() && db.temporal().embedded());
    assertEquals("", db.database().password());

    PlatformConfig t = config("MAGIC_TEMPORAL_ADDRESS", "temporal:7233");
    assertFalse(t.temporal().embedded());
    assertEquals("default", t.temporal().namespace());
    assertTrue(t.embeddedS3() && t.embeddedDatabase());
  }

  @Test
  void variablesOfAServiceWithoutItsAddressAreIgnored() {
    PlatformConfig c =
        config(
            "MAGIC_JDBC_USER", "magic",
            "MAGIC_S3_BUCKET", "Not_A_Bucket",
            "MAGIC_S3_PART_SIZE_MB", "2",
            "MAGIC_TEMPORAL_TLS_CERT", "/no/such/cert");
    assertEquals(config(), c);
  }

  @Test
  void aDatabaseAddressNeedsItsUser() {
    assertFailsNaming("MAGIC_JDBC_USER", "MAGIC_JDBC_URL", "jdbc:postgresql://db:5432/magic");
  }

  @Test
  void aDatabaseAddressMustBePostgres() {
    assertFailsNaming(
        "MAGIC_JDBC_URL",
        "MAGIC_JDBC_URL",
        "jdbc:mysql://db:3306/magic",
        "MAGIC_JDBC_USER",
        "magic");
  }

  @Test
  void aTemporalAddressMustBeHostColonPort() {
    assertFailsNaming("MAGIC_TEMPORAL_ADDRESS", "MAGIC_TEMPORAL_ADDRESS", "temporal");
    assertFailsNaming("MAGIC_TEMPORAL_ADDRESS", "MAGIC_TEMPORAL_ADDRESS", "http://temporal:7233");
  }

  @Test
  void temporalTlsNeedsCertAndKeyTogetherAndReadable(@TempDir Path dir) throws Exception {
    String address = "temporal:7233";
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                config(
                    "MAGIC_TEMPORAL_ADDRESS", address, "MAGIC_TEMPORAL_TLS_CERT", "/x/cert.pem"));
    assertTrue(e.getMessage().contains("MAGIC_TEMPORAL_TLS_KEY"), e.getMessage());
    assertFailsNaming(
        "MAGIC_TEMPORAL_TLS_CERT",
        "MAGIC_TEMPORAL_ADDRESS",
        address,
        "MAGIC_TEMPORAL_TLS_CERT",
        "/x/cert.pem",
        "MAGIC_TEMPORAL_TLS_KEY",
        "/x/key.pem");
    Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"), "c");
    Path key = java.nio.file.Files.writeString(dir.resolve("key.pem"), "k");
    PlatformConfig c =
        config(
            "MAGIC_TEMPORAL_ADDRESS", address,
            "MAGIC_TEMPORAL_TLS_CERT", cert.toString(),
            "MAGIC_TEMPORAL_TLS_KEY", key.toString());
    assertEquals(cert.toString(), c.temporal().tlsCert());
  }

  @Test
  void badS3ValuesNameTheirVariable() {
    String endpoint = "http://minio:9000";
    assertFailsNaming(
        "MAGIC_S3_BUCKET", "MAGIC_S3_ENDPOINT", endpoint, "MAGIC_S3_BUCKET", "Not_A_Bucket");
    assertFailsNaming(
        "MAGIC_S3_PART_SIZE_MB", "MAGIC_S3_ENDPOINT", endpoint, "MAGIC_S3_PART_SIZE_MB", "2");
    assertFailsNaming(
        "MAGIC_S3_PART_SIZE_MB", "MAGIC_S3_ENDPOINT", endpoint, "MAGIC_S3_PART_SIZE_MB", "five");
  }

  /** A second worker started with {@code toEnv()} talks to the same services. */
  @Test
  void toEnvPointsAnotherProcessAtTheSameServices() {
    PlatformConfig c = PlatformConfig.embeddedDefaults(home, 17233, 19000, 15433);
    Map<String, String> env = new HashMap<>(c.toEnv());
    env.put("MAGIC_HOME", home.toString());
    PlatformConfig other = PlatformConfig.fromEnv(env);
    assertEquals(c.temporal(), other.temporal());
    assertEquals(c.s3(), other.s3());
    assertEquals(c.database(), other.database());
  }
}
