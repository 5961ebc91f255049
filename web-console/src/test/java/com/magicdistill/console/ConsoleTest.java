package com.magicdistill.console;

import com.magicdistill.console.platform.ConsoleBackends;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;

/**
 * Base of the console's Spring tests: one application context for all of them (same configuration),
 * on {@link ConsoleTestStack}.
 */
@SpringBootTest(
    classes = {ConsoleApplication.class, ConsoleTest.Backends.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "console.platform.enabled=false",
      "console.tokens.cache-seconds=0",
      "console.rate-limit.read-burst=100",
      "console.rate-limit.reads-per-second=20",
      "console.rate-limit.write-burst=1000",
      "console.rate-limit.writes-per-second=100",
      "console.events.poll-millis=200",
      "console.webhooks.allow-loopback-http=true",
      "console.webhooks.backoff-seconds=0",
      "console.webhooks.poll-millis=3600000",
      "console.schedules.poll-millis=3600000"
    })
@AutoConfigureMockMvc
public abstract class ConsoleTest {
  @org.springframework.beans.factory.annotation.Autowired
  protected org.springframework.test.web.servlet.MockMvc mvc;

  @org.springframework.beans.factory.annotation.Autowired
  protected com.magicdistill.console.platform.ConsoleRepositories repositories;

  protected static final java.util.List<String> ALL_SCOPES =
      java.util.List.of(
          "models:read",
          "runs:read",
          "runs:write",
          "tokens:manage",
          "users:manage",
          "webhooks:manage");

  /** A fresh token of {@code team} (created if missing) with these scopes. */
  protected String token(String team, String... scopes) {
    repositories.teams().ensureTeam(team);
    com.magicdistill.db.ApiTokens.NewToken t = com.magicdistill.db.ApiTokens.generate();
    repositories
        .tokens()
        .create(
            t,
            team,
            "test",
            scopes.length == 0 ? ALL_SCOPES : java.util.List.of(scopes),
            "test",
            null);
    return t.token();
  }

  protected static String bearer(String token) {
    return "Bearer " + token;
  }

  /** A unique team id per test class run (the database is shared by all tests of the JVM). */
  protected static String team(String base) {
    return base + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Backends {
    @Bean
    ConsoleBackends consoleBackends() {
      return ConsoleTestStack.get().backends();
    }

    /** Rate-limit buckets never refill in tests: a token's burst is exact on any machine. */
    @Bean
    io.github.bucket4j.TimeMeter frozenRateLimitClock() {
      return new io.github.bucket4j.TimeMeter() {
        @Override
        public long currentTimeNanos() {
          return 1_000_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
          return false;
        }
      };
    }
  }
}
