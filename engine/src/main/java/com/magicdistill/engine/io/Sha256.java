package com.magicdistill.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as lower-case hex, the form every manifest, checksum file and model card of the project
 * stores (and {@code sha256sum} prints).
 */
public final class Sha256 {
  private Sha256() {}

  /** The hex sha256 of {@code bytes}. */
  public static String of(byte[] bytes) {
    return hex(newDigest().digest(bytes));
  }

  /** The hex sha256 of a file's content, read as a stream (files may be larger than memory). */
  public static String of(Path file) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return hex(digest.digest());
  }

  /** A fresh SHA-256 digest, for hashing bytes while they are written. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** Lower-case hex of a finished digest. */
  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
