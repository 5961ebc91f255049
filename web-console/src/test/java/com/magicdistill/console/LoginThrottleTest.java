package com.magicdistill.console;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Form login is throttled per user name and address: five failures, then even the right password is
 * refused (no password check) with 429 and a message; another user or address is unaffected. The
 * test clock is frozen (ConsoleTest), so the window never refills here.
 */
class LoginThrottleTest extends ConsoleTest {
  @Autowired PasswordEncoder encoder;

  private MockHttpServletRequestBuilder login(String user, String password, String address) {
    return post("/login")
        .param("username", user)
        .param("password", password)
        .with(csrf())
        .with(
            r -> {
              r.setRemoteAddr(address);
              return r;
            });
  }

  @Test
  void theSixthFailedLoginWithinAMinuteIsRefusedWithoutAPasswordCheck() throws Exception {
    String user = "throttled-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String other = user + "-other";
    repositories.teams().ensureTeam("default");
    repositories
        .users()
        .createIfAbsent(user, encoder.encode("right-password"), "default", "member");
    repositories
        .users()
        .createIfAbsent(other, encoder.encode("right-password"), "default", "member");
    for (int i = 0; i < 5; i++) {
      mvc.perform(login(user, "wrong", "10.0.0.1")).andExpect(redirectedUrl("/login?error"));
    }
    mvc.perform(login(user, "right-password", "10.0.0.1"))
        .andExpect(status().isTooManyRequests())
        .andExpect(header().string("Retry-After", Matchers.matchesPattern("[1-9][0-9]*")))
        .andExpect(forwardedUrl("/login/throttled"));
    // (MockMvc does not follow forwards: the page it forwards to, on its own)
    mvc.perform(post("/login/throttled").requestAttr("loginWaitSeconds", 42L).with(csrf()))
        .andExpect(
            content()
                .string(
                    Matchers.containsString(
                        "Too many failed logins for this user name from your address: try again"
                            + " in 42 s.")));
    // the same user from elsewhere, and another user from the same address, still log in
    mvc.perform(login(user, "right-password", "10.0.0.2")).andExpect(redirectedUrl("/runs"));
    mvc.perform(login(other, "right-password", "10.0.0.1")).andExpect(redirectedUrl("/runs"));
  }

  @Test
  void aSuccessfulLoginClearsTheFailures() throws Exception {
    String user = "cleared-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    repositories.users().createIfAbsent(user, encoder.encode("pw-right"), "default", "member");
    for (int i = 0; i < 4; i++) {
      mvc.perform(login(user, "wrong", "10.0.1.1")).andExpect(redirectedUrl("/login?error"));
    }
    mvc.perform(login(user, "pw-right", "10.0.1.1")).andExpect(redirectedUrl("/runs"));
    for (int i = 0; i < 5; i++) {
      mvc.perform(login(user, "wrong", "10.0.1.1")).andExpect(redirectedUrl("/login?error"));
    }
    mvc.perform(login(user, "pw-right", "10.0.1.1")).andExpect(status().isTooManyRequests());
  }
}
