package com.magicdistill.console.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: {@code webhook-signature: v1,<base64 HMAC-SHA256(secret, id "." timestamp "."
 * body)>} with {@code webhook-id} (the delivery, stable across retries) and {@code
 * webhook-timestamp} (Unix seconds; receivers refuse more than 5 minutes of skew).
 */
public final class WebhookSigner {
  private WebhookSigner() {}

  public static String sign(String secret, String id, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] sig =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a receiver does: recompute and compare in constant time, within the allowed skew. */
  public static boolean verify(
      String secret, String id, long timestamp, String body, String signature, long nowSeconds) {
    if (Math.abs(nowSeconds - timestamp) > 300) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(secret, id, timestamp, body).getBytes(StandardCharsets.UTF_8),
        signature.getBytes(StandardCharsets.UTF_8));
  }
}
