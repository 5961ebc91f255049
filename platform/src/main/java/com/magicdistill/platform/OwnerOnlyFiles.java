package com.magicdistill.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files that hold a secret: readable and writable by their owner only (0600) from creation. */
final class OwnerOnlyFiles {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /**
   * Replaces {@code file} with {@code text}: written to a 0600 temporary file next to it, then
   * renamed over it, so no reader ever sees a partial file or one with wider permissions.
   */
  static void write(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", "", attribute());
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Creates {@code file} with {@code text} only if it does not exist yet.
   *
   * @return false if it already existed (another process created it first)
   */
  static boolean create(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", "", attribute());
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.createLink(file, tmp); // atomic create-if-absent with the content already in place
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute() {
    return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
  }
}
