package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.storage.ObjectNotFoundException;
import com.magicdistill.storage.ObjectStoreContract;
import com.magicdistill.storage.S3ObjectStore;
import com.magicdistill.storage.S3Settings;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code LocalDirectoryStoreTest} contract, plus S3 specifics, against a local S3Proxy. */
class S3ObjectStoreTest {
  private static final String IDENTITY = "magic-test";
  private static final String CREDENTIAL = "magic-test-secret";

  @TempDir static Path dir;
  static S3ProxyServer server;
  static S3Settings settings;
  static S3ObjectStore store;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3ProxyServer.start(dir.resolve("s3"), S3ProxyServer.freePort(), IDENTITY, CREDENTIAL);
    settings = new S3Settings(server.endpoint(), IDENTITY, CREDENTIAL, "magic-test");
    store = new S3ObjectStore(settings);
    store.ensureBucket();
    store.ensureBucket(); // idempotent
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void putGetListDelete() throws IOException {
    S3ObjectStore s = new S3ObjectStore(settings, "contract");
    try (s) {
      s.put("keep/blob", new byte[] {1});
      // the root prefix is part of the object name, not of the key
      assertTrue(store.exists("contract/keep/blob"));
      assertTrue(s.delete("keep/blob"));
      ObjectStoreContract.putGetListDelete(s, dir);
    }
  }

  @Test
  void listIsSortedAndRecursive() throws IOException {
    for (String k : List.of("sort/b", "sort/a/z/1", "sort/a-x", "sort/a/b", "sort/A")) {
      store.put(k, new byte[] {1});
    }
    assertEquals(
        List.of("sort/A", "sort/a-x", "sort/a/b", "sort/a/z/1", "sort/b"), store.list("sort/"));
  }

  @Test
  void rejectsInvalidKeys() {
    for (String bad :
        List.of("../x", "a/../../x", "a/..", "/abs", "a//b", "a/./b", "", "a\\b", "a/")) {
      assertThrows(
          IllegalArgumentException.class, () -> store.put(bad, new byte[1]), "key '" + bad + "'");
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> store.get("runs/../../etc/passwd"));
    assertTrue(e.getMessage().contains(".."), e.getMessage());
  }

  /** With the smallest part size S3 allows (5 MB), so a few MB exercise multipart uploads. */
  @Test
  void bigFilesGoUpInPartsAndComeBackIdentical() throws Exception {
    S3Settings small =
        new S3Settings(
            settings.endpoint(),
            IDENTITY,
            CREDENTIAL,
            settings.bucket(),
            settings.region(),
            S3Settings.MIN_PART_SIZE_MB);
    Path big = dir.resolve("big.bin");
    Random random = new Random(7);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(big)) {
      for (int i = 0; i < 11; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    try (S3ObjectStore parts = new S3ObjectStore(small)) {
      parts.put("big/file.bin", big);
      assertTrue(
          etag("big/file.bin").endsWith("-3"), "not a 3-part upload: " + etag("big/file.bin"));
      assertEquals(sha256(Files.newInputStream(big)), sha256(parts.openStream("big/file.bin")));

      byte[] bytes = new byte[6 << 20]; // > one 5 MB part
      random.nextBytes(bytes);
      parts.put("big/bytes.bin", bytes);
      assertTrue(etag("big/bytes.bin").endsWith("-2"), etag("big/bytes.bin"));
      assertArrayEquals(bytes, parts.get("big/bytes.bin"));
    }
  }

  @Test
  void missingBucketIsAnIoErrorNamingIt() throws IOException {
    S3Settings other = new S3Settings(server.endpoint(), IDENTITY, CREDENTIAL, "no-such-bucket");
    try (S3ObjectStore s = new S3ObjectStore(other)) {
      IOException e = assertThrows(IOException.class, () -> s.put("k", new byte[1]));
      assertFalse(e instanceof ObjectNotFoundException);
      assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
    }
  }

  @Test
  void aStoppedServerFailsFastAndTheDataSurvivesARestart() throws IOException {
    store.put("restart/before", "kept".getBytes(StandardCharsets.UTF_8));
    server.stop();
    try {
      assertFalse(server.isRunning());
      long t0 = System.nanoTime();
      IOException put =
          assertThrows(IOException.class, () -> store.put("restart/during", new byte[1]));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(seconds < 15, "put took " + seconds + " s to fail");
      assertTrue(put.getMessage().contains(server.endpoint()), put.getMessage());
      assertTrue(put.getMessage().contains("restart/during"), put.getMessage());
      assertTrue(put.getMessage().contains(settings.bucket()), put.getMessage());
      // an unreachable server is never mistaken for a missing object
      IOException get = assertThrows(IOException.class, () -> store.get("restart/before"));
      assertFalse(get instanceof ObjectNotFoundException, get.toString());
      assertThrows(IOException.class, () -> store.exists("restart/before"));
      assertInstanceOf(IOException.class, assertThrows(IOException.class, () -> store.list("")));
    } finally {
      server.restart();
    }
    assertTrue(server.isRunning());
    assertEquals("kept", new String(store.get("restart/before"), StandardCharsets.UTF_8));
    store.put("restart/after", new byte[] {2});
    assertEquals(List.of("restart/after", "restart/before"), store.list("restart/"));
  }

  /** The object's ETag; a multipart upload's ends with {@code -<parts>}. */
  private static String etag(String key) throws Exception {
    try (MinioClient client = S3ObjectStore.newClient(settings)) {
      return client
          .statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(key).build())
          .etag();
    }
  }

  private static String sha256(InputStream stream) throws IOException {
    try (DigestInputStream in =
        new DigestInputStream(stream, MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
