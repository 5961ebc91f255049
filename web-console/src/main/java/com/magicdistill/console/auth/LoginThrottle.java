package com.magicdistill.console.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Failed form logins per user name and client address (Bucket4j): after {@link #FAILURES} failures
 * within {@link #WINDOW} further attempts are refused before any password check until the window
 * refills. A successful login clears the count. One throttle per console instance.
 */
@Component
public class LoginThrottle {
  static final int FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(1);

  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(WINDOW.multipliedBy(2)).build();
  private final TimeMeter clock;

  /**
   * @param clock a {@code TimeMeter} bean if there is one (tests stop time), else the system's
   */
  public LoginThrottle(ObjectProvider<TimeMeter> clock) {
    this.clock = clock.getIfAvailable(() -> TimeMeter.SYSTEM_MILLISECONDS);
  }

  /** Whole seconds until {@code username} may try again from {@code address}; 0: it may now. */
  public long secondsToWait(String username, String address) {
    Bucket b = buckets.getIfPresent(key(username, address));
    if (b == null) {
      return 0;
    }
    EstimationProbe p = b.estimateAbilityToConsume(1);
    return p.canBeConsumed()
        ? 0
        : Math.max(1, (p.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
  }

  public void failed(String username, String address) {
    buckets
        .get(
            key(username, address),
            k ->
                Bucket.builder()
                    .withCustomTimePrecision(clock)
                    .addLimit(l -> l.capacity(FAILURES).refillIntervally(FAILURES, WINDOW))
                    .build())
        .tryConsume(1);
  }

  public void succeeded(String username, String address) {
    buckets.invalidate(key(username, address));
  }

  private static String key(String username, String address) {
    return (username == null ? "" : username.strip().toLowerCase(Locale.ROOT)) + "|" + address;
  }
}
