package com.magicdistill.console.webhooks;

import com.magicdistill.console.platform.ConsoleBackends;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Webhook secrets at rest: AES-256-GCM under {@code MAGIC_CONSOLE_ENCRYPTION_KEY} (base64 of 32
 * bytes; every console replica needs the same), else a key generated once into {@code
 * $MAGIC_HOME/console-encryption.key} (owner-only) for a single local console.
 */
@Component
public class SecretBox {
  public static final String KEY_VAR = "MAGIC_CONSOLE_ENCRYPTION_KEY";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretBox(ConsoleBackends backends) {
    this.key = new SecretKeySpec(keyBytes(backends.home()), "AES");
  }

  /** Ciphertext and nonce. */
  public record Sealed(byte[] ciphertext, byte[] nonce) {}

  public Sealed seal(String secret) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      return new Sealed(c.doFinal(secret.getBytes(StandardCharsets.UTF_8)), nonce);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String open(byte[] ciphertext, byte[] nonce) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      return new String(c.doFinal(ciphertext), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a webhook secret does not decrypt: was " + KEY_VAR + " changed?", e);
    }
  }

  private static byte[] keyBytes(Path home) {
    String given = System.getenv(KEY_VAR);
    if (given != null && !given.isBlank()) {
      byte[] k;
      try {
        k = Base64.getDecoder().decode(given.strip());
      } catch (IllegalArgumentException e) {
        k = new byte[0];
      }
      if (k.length != 32) {
        throw new IllegalArgumentException(
            KEY_VAR + " is invalid: use the base64 of 32 random bytes (openssl rand -base64 32)");
      }
      return k;
    }
    Path file = home.resolve("console-encryption.key");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(home);
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n");
      }
      return Base64.getDecoder().decode(Files.readString(file).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
