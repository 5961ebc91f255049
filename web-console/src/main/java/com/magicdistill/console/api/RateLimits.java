package com.magicdistill.console.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-token request budgets ({@code console.rate-limit.*}): reads refill {@code readsPerSecond} up
 * to {@code readBurst}; writes (POST, PATCH, DELETE except validate) likewise. One limiter per
 * console instance.
 */
@ConfigurationProperties("console.rate-limit")
public record RateLimits(int readsPerSecond, int readBurst, int writesPerSecond, int writeBurst) {
  public RateLimits {
    readsPerSecond = readsPerSecond <= 0 ? 20 : readsPerSecond;
    readBurst = readBurst <= 0 ? 100 : readBurst;
    writesPerSecond = writesPerSecond <= 0 ? 2 : writesPerSecond;
    writeBurst = writeBurst <= 0 ? 10 : writeBurst;
  }
}
