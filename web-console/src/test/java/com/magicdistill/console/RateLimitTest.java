package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/** A token that sends more than its burst of reads at once gets 429 with Retry-After. */
class RateLimitTest extends ConsoleTest {
  @Test
  void aBurstBeyondTheLimitAnswers429WithRetryAfter() throws Exception {
    String token = token(team("busy"), "runs:read");
    String other = token(team("calm"), "runs:read");
    MockHttpServletResponse limited = null;
    // read-burst is 100 and the test clock stands still (ConsoleTest): request 101 is refused
    int i = 0;
    for (; i < 1000 && limited == null; i++) {
      MockHttpServletResponse r =
          mvc.perform(get("/api/v1/me").header("Authorization", bearer(token)))
              .andReturn()
              .getResponse();
      if (r.getStatus() == 429) {
        limited = r;
      } else {
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getHeader("RateLimit")).startsWith("limit=100, remaining=");
      }
    }
    assertThat(limited).as("no 429 after 1000 requests").isNotNull();
    assertThat(i).isEqualTo(101);
    assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isPositive();
    assertThat(limited.getContentAsString()).contains("/problems/rate-limited");
    // the budget is per token
    assertThat(
            mvc.perform(get("/api/v1/me").header("Authorization", bearer(other)))
                .andReturn()
                .getResponse()
                .getStatus())
        .isEqualTo(200);
  }
}
