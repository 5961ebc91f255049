package com.magicdistill.console.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer mdt_...} on {@code /api/**}: a good token authenticates the request
 * as its team; a missing one is left to the entry point (401), a bad one answers 401 here.
 */
public final class ApiTokenAuthenticationFilter extends OncePerRequestFilter {
  private final TokenVerifier verifier;

  public ApiTokenAuthenticationFilter(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header == null || header.isBlank()) {
      chain.doFilter(request, response);
      return;
    }
    Optional<ApiCaller> caller =
        header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? verifier.verify(header.substring(7).strip())
            : Optional.empty();
    if (caller.isEmpty()) {
      SecurityConfig.unauthenticated(
          request, response, "the bearer token is malformed, unknown, expired or revoked");
      return;
    }
    SecurityContextHolder.getContext().setAuthentication(new ApiTokenAuthentication(caller.get()));
    MDC.put("team", caller.get().teamId());
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }
}
