package com.magicdistill.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
  private static final String E = "http://127.0.0.1:9000";

  @Test
  void validationMessagesNameTheFieldAndTheFix() {
    assertMessage(
        () -> new S3Settings("", "ak", "sk", "bucket"),
        "s3.endpoint is empty: set MAGIC_S3_ENDPOINT to http://host:port");
    assertMessage(() -> new S3Settings("localhost:9000", "ak", "sk", "bucket"), "s3.endpoint");
    assertMessage(
        () -> new S3Settings(E, " ", "sk", "bucket"), "s3.accessKey", "MAGIC_S3_ACCESS_KEY");
    assertMessage(
        () -> new S3Settings(E, "ak", null, "bucket"), "s3.secretKey", "MAGIC_S3_SECRET_KEY");
    for (String bad : new String[] {"", "ab", "Upper", "-lead", "trail-", "a_b", "a..b"}) {
      assertMessage(() -> new S3Settings(E, "ak", "sk", bad), "s3.bucket", "MAGIC_S3_BUCKET");
    }
    assertMessage(() -> new S3Settings(E, "ak", "sk", "bucket", null, 4), "s3.partSizeMb");
    assertMessage(() -> new S3Settings(E, "ak", "sk", "bucket", null, 5121), "s3.partSizeMb");
  }

  @Test
  void defaultsAndEnvironment() {
    S3Settings d = new S3Settings(E, "ak", "sk", "magic-runs");
    assertEquals("us-east-1", d.region());
    assertEquals(16, d.partSizeMb());
    assertEquals(16L << 20, d.partSizeBytes());

    S3Settings s =
        S3Settings.fromEnv(
            Map.of(
                "MAGIC_S3_ENDPOINT", "https://minio.internal:9000",
                "MAGIC_S3_SECRET_KEY", "other-secret",
                "MAGIC_S3_REGION", " ",
                "MAGIC_S3_PART_SIZE_MB", "64"),
            d);
    assertEquals(
        new S3Settings("https://minio.internal:9000", "ak", "other-secret", "magic-runs", null, 64),
        s);
    assertEquals(d, S3Settings.fromEnv(Map.of(), d));
    assertMessage(() -> S3Settings.fromEnv(Map.of(), null), "MAGIC_S3_ENDPOINT");
    assertMessage(
        () -> S3Settings.fromEnv(Map.of("MAGIC_S3_PART_SIZE_MB", "big"), d),
        "MAGIC_S3_PART_SIZE_MB");
  }

  @Test
  void toStringHidesTheSecret() {
    S3Settings s = new S3Settings(E, "access-id", "very-secret-value", "bucket");
    assertFalse(s.toString().contains("very-secret-value"), s.toString());
    assertTrue(s.toString().contains("access-id") && s.toString().contains(E), s.toString());
  }

  private static void assertMessage(Runnable r, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }
}
