package com.magicdistill.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A flat key/value blob store: the place checkpoints, samples and reports are written to.
 *
 * <p>The contract is deliberately the subset that both a local directory and S3 (MinIO) can honour:
 *
 * <ul>
 *   <li>Keys are {@code /}-separated relative paths ({@code
 *       runs/r1/step-00000100/checkpoint.json}); see {@link #validateKey(String)} for the rules.
 *       There are no directories, only prefixes.
 *   <li>A {@code put} replaces the whole object atomically: a reader sees the old or the new bytes,
 *       never a mix. There is no append and no rename.
 *   <li>Multi-object consistency is the caller's job: write the data objects first and a small
 *       manifest last (checkpoints do this), so a manifest that exists always points at complete
 *       data.
 * </ul>
 */
public interface ObjectStore {

  /** Stores {@code data} under {@code key}, replacing any previous object. */
  void put(String key, byte[] data) throws IOException;

  /**
   * Stores the contents of the local file {@code file} under {@code key} (streamed, not loaded).
   */
  void put(String key, Path file) throws IOException;

  /**
   * Stores exactly {@code size} bytes read from {@code in} under {@code key}, streamed: a writer
   * that produces its bytes as it goes (a checkpoint's tensors) need not assemble them in one array
   * first. The caller closes {@code in}. This default reads them into memory and calls {@link
   * #put(String, byte[])}.
   *
   * @throws IOException if {@code in} ends before {@code size} bytes
   */
  default void put(String key, InputStream in, long size) throws IOException {
    byte[] data = in.readNBytes(Math.toIntExact(size));
    if (data.length != size) {
      throw new java.io.EOFException(
          "stream for " + key + " ended after " + data.length + " of " + size + " bytes");
    }
    put(key, data);
  }

  /**
   * Reads the whole object.
   *
   * @throws ObjectNotFoundException if there is no object under {@code key}
   */
  byte[] get(String key) throws IOException;

  /**
   * Opens the object for streaming; the caller closes the stream.
   *
   * @throws ObjectNotFoundException if there is no object under {@code key}
   */
  InputStream openStream(String key) throws IOException;

  /** Whether an object exists under exactly this key. */
  boolean exists(String key) throws IOException;

  /**
   * All keys that start with {@code prefix} (plain string prefix, as in S3 ListObjectsV2), sorted
   * lexicographically. An empty prefix lists everything.
   */
  List<String> list(String prefix) throws IOException;

  /** Deletes the object; returns whether it existed. Deleting a missing key is not an error. */
  boolean delete(String key) throws IOException;

  /**
   * Checks that {@code key} is a valid object key and returns it: non-empty, at most 1024
   * characters, {@code /}-separated segments that are non-empty and neither {@code .} nor {@code
   * ..}, no leading {@code /}, no backslash and no control characters.
   *
   * @throws IllegalArgumentException naming the key and the rule it breaks
   */
  static String validateKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key must not be empty");
    }
    if (key.length() > 1024) {
      throw new IllegalArgumentException(
          "object key is " + key.length() + " characters long, the limit is 1024: " + key);
    }
    if (key.startsWith("/")) {
      throw new IllegalArgumentException("object key must be relative (no leading '/'): " + key);
    }
    if (key.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("object key must use '/' not '\\': " + key);
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw new IllegalArgumentException("object key contains a control character: " + key);
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException(
            "object key has an empty segment (leading, trailing or double '/'): " + key);
      }
      if (segment.equals("..") || segment.equals(".")) {
        throw new IllegalArgumentException(
            "object key must not contain '" + segment + "' segments: " + key);
      }
    }
    return key;
  }

  /**
   * Checks a key prefix for {@link #list(String)}: empty, or a string that would be a valid key
   * once completed (a trailing {@code /} is allowed).
   */
  static String validatePrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return "";
    }
    String probe = prefix.endsWith("/") ? prefix + "x" : prefix;
    validateKey(probe);
    return prefix;
  }

  /** Joins key parts with {@code /}, dropping empty parts and surplus slashes at the joints. */
  static String join(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String part : parts) {
      if (part == null) {
        continue;
      }
      String p = part;
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      if (p.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(p);
    }
    return sb.toString();
  }
}
