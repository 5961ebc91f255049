package com.magicdistill.console.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a form login ({@code POST /login}) whose user name and address are throttled: 429 with
 * {@code Retry-After} and the login page saying how long to wait; the password is not checked.
 * Registered only in the console's security chain, ahead of the login filter.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {
  static final String WAIT_ATTRIBUTE = "loginWaitSeconds";
  static final String THROTTLED_PAGE = "/login/throttled";

  private final LoginThrottle throttle;

  LoginThrottleFilter(LoginThrottle throttle) {
    this.throttle = throttle;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !("POST".equals(request.getMethod())
        && (request.getContextPath() + "/login").equals(request.getRequestURI()));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long wait = throttle.secondsToWait(request.getParameter("username"), request.getRemoteAddr());
    if (wait == 0) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(429);
    response.setHeader("Retry-After", Long.toString(wait));
    request.setAttribute(WAIT_ATTRIBUTE, wait);
    request.getRequestDispatcher(THROTTLED_PAGE).forward(request, response);
  }
}
