package com.magicdistill.console.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.MDC;

/**
 * RFC 9457 problem bodies written outside MVC (security filters, the rate limiter), in the same
 * shape as {@link ProblemHandler}'s. Type slugs: docs/API.md.
 */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  public static String type(String slug) {
    return "/problems/" + slug;
  }

  public static void write(
      HttpServletResponse response,
      int status,
      String slug,
      String title,
      String detail,
      String instance)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    String requestId = MDC.get(RequestIds.MDC_KEY);
    String body =
        "{\"type\":"
            + quote(type(slug))
            + ",\"title\":"
            + quote(title)
            + ",\"status\":"
            + status
            + ",\"detail\":"
            + quote(detail)
            + ",\"instance\":"
            + quote(instance)
            + (requestId == null ? "" : ",\"requestId\":" + quote(requestId))
            + "}";
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON string literal. */
  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
