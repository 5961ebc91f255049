package com.magicdistill.console.runs;

import com.magicdistill.db.RunQueries.Cursor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque keyset cursor of run lists: base64url of {@code <created_at>|<id>}. A cursor that does
 * not decode is a bad parameter (400), never a server error.
 */
public final class RunCursor {
  private RunCursor() {}

  public static String encode(Cursor c) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((c.createdAt() + "|" + c.id()).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws IllegalArgumentException when {@code s} is not a cursor this console made
   */
  public static Cursor decode(String s) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      String id = text.substring(bar + 1);
      if (bar < 0 || id.isEmpty() || id.length() > 63) {
        throw new IllegalArgumentException("no separator");
      }
      return new Cursor(Instant.parse(text.substring(0, bar)), id);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cursor is invalid: use the nextCursor of the previous page unchanged");
    }
  }

  public static Cursor decodeOrNull(String s) {
    return s == null || s.isBlank() ? null : decode(s);
  }
}
