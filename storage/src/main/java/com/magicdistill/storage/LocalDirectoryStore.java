package com.magicdistill.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An {@link ObjectStore} on a local directory: key {@code a/b/c} is the file {@code root/a/b/c}.
 *
 * <p>Writes go to a temporary file in the target directory and are then moved into place
 * atomically, so readers never see partial objects. Temporary files start with {@code .tmp-} and
 * are never listed. Keys containing {@code ..} (or otherwise invalid, see {@link
 * ObjectStore#validateKey(String)}) are rejected, so no key can escape the root.
 */
public final class LocalDirectoryStore implements ObjectStore {
  private static final String TMP_PREFIX = ".tmp-";

  private final Path root;

  /** Creates the store, creating {@code root} if it does not exist. */
  public LocalDirectoryStore(Path root) throws IOException {
    this.root = Files.createDirectories(root).toAbsolutePath().normalize();
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  /** The local file that holds {@code key} (it may not exist). */
  public Path pathOf(String key) {
    ObjectStore.validateKey(key);
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IllegalArgumentException("object key escapes the store root: " + key);
    }
    return p;
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    Path target = pathOf(key);
    Path tmp = tempFor(target);
    try {
      Files.write(tmp, data);
      moveIntoPlace(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = pathOf(key);
    Path tmp = tempFor(target);
    try {
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out);
      }
      moveIntoPlace(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void put(String key, InputStream in, long size) throws IOException {
    Path target = pathOf(key);
    Path tmp = tempFor(target);
    try {
      long n;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        n = in.transferTo(out);
      }
      if (n != size) {
        throw new java.io.EOFException(
            "stream for " + key + " gave " + n + " bytes, " + size + " were announced");
      }
      moveIntoPlace(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    try {
      return Files.readAllBytes(existing(key));
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(toString(), key);
    }
  }

  @Override
  public InputStream openStream(String key) throws IOException {
    try {
      return Files.newInputStream(existing(key));
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(toString(), key);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(pathOf(key));
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    String p = ObjectStore.validatePrefix(prefix);
    // Walk only the deepest directory the prefix fully names.
    int slash = p.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(p.substring(0, slash)).normalize();
    if (!start.startsWith(root) || !Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    Files.walkFileTree(
        start,
        new java.nio.file.SimpleFileVisitor<>() {
          @Override
          public java.nio.file.FileVisitResult visitFile(
              Path f, java.nio.file.attribute.BasicFileAttributes attrs) {
            String k = root.relativize(f).toString().replace(java.io.File.separatorChar, '/');
            if (attrs.isRegularFile()
                && !f.getFileName().toString().startsWith(TMP_PREFIX)
                && k.startsWith(p)) {
              keys.add(k);
            }
            return java.nio.file.FileVisitResult.CONTINUE;
          }

          @Override
          public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e)
              throws IOException {
            // Gone between the directory read and its stat: a temporary file moved into place,
            // or a key deleted, while this listing ran. Neither belongs in it.
            if (e instanceof NoSuchFileException) {
              return java.nio.file.FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    Collections.sort(keys);
    return keys;
  }

  @Override
  public boolean delete(String key) throws IOException {
    return Files.deleteIfExists(pathOf(key));
  }

  @Override
  public String toString() {
    return "LocalDirectoryStore(" + root + ")";
  }

  private Path existing(String key) throws NoSuchFileException {
    Path p = pathOf(key);
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(p.toString());
    }
    return p;
  }

  private static Path tempFor(Path target) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    return Files.createTempFile(dir, TMP_PREFIX, ".part");
  }

  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
