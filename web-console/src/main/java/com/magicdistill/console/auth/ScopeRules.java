package com.magicdistill.console.auth;

import jakarta.servlet.http.HttpServletRequest;

/** The scope a request under {@code /api/v1} needs, as {@link SecurityConfig} enforces it. */
public final class ScopeRules {
  private ScopeRules() {}

  public static String needed(HttpServletRequest req) {
    String path = req.getRequestURI();
    String method = req.getMethod();
    if (path.startsWith("/api/v1/tokens")) {
      return "tokens:manage";
    }
    if (path.startsWith("/api/v1/users")) {
      return "users:manage";
    }
    if (path.startsWith("/api/v1/webhooks")) {
      return "webhooks:manage";
    }
    if (path.startsWith("/api/v1/models")) {
      return "models:read";
    }
    if ("GET".equals(method) || "HEAD".equals(method) || path.equals("/api/v1/runs/validate")) {
      return "runs:read";
    }
    return "runs:write";
  }
}
