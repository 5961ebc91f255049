package com.magicdistill.console.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.magicdistill.console.auth.ApiCaller;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Token buckets per API token (Bucket4j), one for reads and one for writes. Over budget: 429 {@code
 * rate-limited} with {@code Retry-After} (whole seconds). {@code RateLimit-Policy} and {@code
 * RateLimit} headers on every answer.
 */
@Component
@EnableConfigurationProperties(RateLimits.class)
public class RateLimitFilter extends OncePerRequestFilter {
  private final RateLimits limits;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();

  private final io.github.bucket4j.TimeMeter clock;

  /**
   * @param clock a {@code TimeMeter} bean if there is one (tests stop time so a burst is exact),
   *     else the system clock
   */
  public RateLimitFilter(
      RateLimits limits,
      org.springframework.beans.factory.ObjectProvider<io.github.bucket4j.TimeMeter> clock) {
    this.limits = limits;
    this.clock = clock.getIfAvailable(() -> io.github.bucket4j.TimeMeter.SYSTEM_MILLISECONDS);
  }

  /** Registered only in the API's security chain, not as a servlet filter of its own. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !(auth.getPrincipal() instanceof ApiCaller caller)) {
      chain.doFilter(request, response);
      return;
    }
    boolean write = isWrite(request);
    int burst = write ? limits.writeBurst() : limits.readBurst();
    int perSecond = write ? limits.writesPerSecond() : limits.readsPerSecond();
    Bucket bucket =
        buckets.get(
            caller.tokenId() + (write ? ":w" : ":r"),
            k ->
                Bucket.builder()
                    .withCustomTimePrecision(clock)
                    .addLimit(l -> l.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    long resetSeconds = Math.max(1, (burst - probe.getRemainingTokens()) / perSecond);
    response.setHeader("RateLimit-Policy", burst + ";w=" + Math.max(1, burst / perSecond));
    response.setHeader(
        "RateLimit",
        "limit=" + burst + ", remaining=" + probe.getRemainingTokens() + ", reset=" + resetSeconds);
    if (!probe.isConsumed()) {
      long wait = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
      response.setHeader("Retry-After", Long.toString(wait));
      Problems.write(
          response,
          429,
          "rate-limited",
          "Too many requests",
          "this token sent more than "
              + burst
              + (write ? " writes" : " reads")
              + " at once; retry after "
              + wait
              + " s",
          request.getRequestURI());
      return;
    }
    chain.doFilter(request, response);
  }

  static boolean isWrite(HttpServletRequest request) {
    String m = request.getMethod();
    return !("GET".equals(m) || "HEAD".equals(m) || "OPTIONS".equals(m))
        && !request.getRequestURI().equals("/api/v1/runs/validate");
  }
}
