package com.magicdistill.engine.io;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) as 8 lower-case hex digits, big-endian: the checksum of a checkpoint's
 * tensor file (docs/STORAGE.md), the same algorithm S3's {@code x-amz-checksum-crc32c} uses.
 */
public final class Crc32c {
  private Crc32c() {}

  /** The hex CRC-32C of {@code bytes}. */
  public static String of(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return hex(crc.getValue());
  }

  /** A finished CRC-32C value as 8 hex digits. */
  public static String hex(long value) {
    return String.format(java.util.Locale.ROOT, "%08x", value);
  }
}
