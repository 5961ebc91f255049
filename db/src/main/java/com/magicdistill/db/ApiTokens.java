package com.magicdistill.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Team API tokens: {@code mdt_<id>_<secret>}, the id 8 base32 characters (shown in lists), the
 * secret 32 random bytes. Only the SHA-256 of the whole token is stored: the secret has too much
 * entropy to guess, so a slow hash (BCrypt) would only cost every request tens of milliseconds.
 */
public final class ApiTokens {
  public static final String PREFIX = "mdt_";
  public static final Set<String> SCOPES =
      Set.of(
          "runs:read",
          "runs:write",
          "models:read",
          "webhooks:manage",
          "tokens:manage",
          "users:manage");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private ApiTokens() {}

  /** A token as issued: {@code token} is shown once and never stored. */
  public record NewToken(String id, String token, byte[] sha256) {}

  public static NewToken generate() {
    StringBuilder id = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      id.append(BASE32[RANDOM.nextInt(32)]);
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token =
        PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new NewToken(id.toString(), token, sha256(token));
  }

  /** The public id of a well-formed token, else empty (nothing to look up). */
  public static Optional<String> idOf(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
      return Optional.empty();
    }
    String[] parts = token.split("_", 3);
    if (parts.length != 3 || !parts[1].matches("[a-z2-7]{8}") || parts[2].length() < 20) {
      return Optional.empty();
    }
    return Optional.of(parts[1]);
  }

  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code token} hashes to {@code stored}, in constant time. */
  public static boolean matches(String token, byte[] stored) {
    return MessageDigest.isEqual(sha256(token), stored);
  }

  /**
   * The scopes parsed from a comma list, each checked.
   *
   * @throws IllegalArgumentException naming an unknown scope and the known ones
   */
  public static List<String> parseScopes(String commaList) {
    TreeSet<String> out = new TreeSet<>();
    for (String s : (commaList == null ? "" : commaList).split(",")) {
      String t = s.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (!SCOPES.contains(t)) {
        throw new IllegalArgumentException(
            "scopes is invalid (got " + t + "): use a comma list of " + new TreeSet<>(SCOPES));
      }
      out.add(t);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "scopes is missing: use a comma list of " + new TreeSet<>(SCOPES));
    }
    return List.copyOf(out);
  }
}
