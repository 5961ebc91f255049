package com.magicdistill.console.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.ApiTokenRepository.TokenRow;
import com.magicdistill.db.ApiTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks bearer tokens against their stored SHA-256 (constant-time). Rows are cached briefly
 * ({@code console.tokens.cache-seconds}, 60): a revocation made on another console instance takes
 * effect within that time, one made here at once. Last use is written in batches.
 */
@Component
public class TokenVerifier {
  private final ConsoleRepositories repositories;
  private final Cache<String, Optional<TokenRow>> rows;
  private final Map<String, Instant> used = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();

  public TokenVerifier(
      ConsoleRepositories repositories,
      @Value("${console.tokens.cache-seconds:60}") int cacheSeconds) {
    this.repositories = repositories;
    this.rows =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(cacheSeconds))
            .build();
  }

  /** The caller the token stands for, or empty for a malformed, unknown, revoked or expired one. */
  public Optional<ApiCaller> verify(String token) {
    Optional<String> id = ApiTokens.idOf(token);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Optional<TokenRow> row = rows.get(id.get(), k -> repositories.tokens().find(k));
    Instant now = clock.instant();
    if (row.isEmpty()
        || !row.get().usable(now)
        || !ApiTokens.matches(token, row.get().tokenSha256())) {
      return Optional.empty();
    }
    used.put(row.get().id(), now);
    return Optional.of(new ApiCaller(row.get().id(), row.get().teamId(), row.get().scopes()));
  }

  /** Forgets the cached row of a token (after this instance revoked it). */
  public void evict(String tokenId) {
    rows.invalidate(tokenId);
  }

  @Scheduled(fixedDelayString = "${console.tokens.touch-millis:30000}")
  void writeLastUse() {
    for (String id : Map.copyOf(used).keySet()) {
      Instant at = used.remove(id);
      if (at != null) {
        repositories.tokens().touch(id, at);
      }
    }
  }
}
