package com.magicdistill.console.auth;

import com.magicdistill.console.api.Problems;
import com.magicdistill.console.api.RateLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

/**
 * Two filter chains: {@code /api/**} is stateless with bearer team tokens and scopes (no CSRF: no
 * cookies), everything else is the console with form login, BCrypt passwords and CSRF.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {
  static final String RUNS_READ = "SCOPE_runs:read";
  static final String RUNS_WRITE = "SCOPE_runs:write";

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder();
  }

  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http, TokenVerifier verifier, RateLimitFilter rateLimit)
      throws Exception {
    ApiTokenAuthenticationFilter tokens = new ApiTokenAuthenticationFilter(verifier);
    http.securityMatcher("/api/**")
        .csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(c -> c.disable())
        .formLogin(f -> f.disable())
        .httpBasic(b -> b.disable())
        .logout(l -> l.disable())
        .addFilterBefore(tokens, UsernamePasswordAuthenticationFilter.class)
        .addFilterAfter(rateLimit, ApiTokenAuthenticationFilter.class)
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (req, res, ex) ->
                            unauthenticated(req, res, "send Authorization: Bearer <team token>"))
                    .accessDeniedHandler(
                        (req, res, ex) ->
                            Problems.write(
                                res,
                                403,
                                "insufficient-scope",
                                "The token lacks a scope",
                                "this request needs a scope the token does not have: "
                                    + ScopeRules.needed(req),
                                req.getRequestURI())))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(HttpMethod.GET, "/api/v1/me")
                    .authenticated()
                    .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**")
                    .hasAuthority("SCOPE_tokens:manage")
                    .requestMatchers("/api/v1/users", "/api/v1/users/**")
                    .hasAuthority("SCOPE_users:manage")
                    .requestMatchers("/api/v1/webhooks", "/api/v1/webhooks/**")
                    .hasAuthority("SCOPE_webhooks:manage")
                    .requestMatchers("/api/v1/models", "/api/v1/models/**")
                    .hasAuthority("SCOPE_models:read")
                    .requestMatchers(HttpMethod.POST, "/api/v1/runs/validate")
                    .hasAuthority(RUNS_READ)
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .hasAuthority(RUNS_READ)
                    .requestMatchers(HttpMethod.HEAD, "/api/**")
                    .hasAuthority(RUNS_READ)
                    .anyRequest()
                    .hasAuthority(RUNS_WRITE));
    return http.build();
  }

  static void unauthenticated(HttpServletRequest req, HttpServletResponse res, String detail)
      throws IOException {
    res.setHeader("WWW-Authenticate", "Bearer realm=\"magicdistill\"");
    Problems.write(
        res, 401, "unauthenticated", "Authentication required", detail, req.getRequestURI());
  }

  @Bean
  @Order(2)
  SecurityFilterChain console(HttpSecurity http, LoginThrottle throttle) throws Exception {
    var success = new SavedRequestAwareAuthenticationSuccessHandler();
    success.setDefaultTargetUrl("/runs");
    var failure = new SimpleUrlAuthenticationFailureHandler("/login?error");
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers(
                        "/login",
                        LoginThrottleFilter.THROTTLED_PAGE,
                        "/css/**",
                        "/js/**",
                        "/webjars/**",
                        "/favicon.ico",
                        "/problems/**",
                        "/error",
                        "/actuator/health",
                        "/actuator/health/**",
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/api/docs",
                        "/api/docs/**",
                        "/swagger-ui/**")
                    .permitAll()
                    .requestMatchers("/settings/**")
                    .hasAnyRole("admin", "team_admin")
                    .anyRequest()
                    .authenticated())
        .addFilterBefore(
            new LoginThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
        .formLogin(
            f ->
                f.loginPage("/login")
                    .successHandler(
                        (req, res, auth) -> {
                          throttle.succeeded(req.getParameter("username"), req.getRemoteAddr());
                          success.onAuthenticationSuccess(req, res, auth);
                        })
                    .failureHandler(
                        (req, res, e) -> {
                          throttle.failed(req.getParameter("username"), req.getRemoteAddr());
                          failure.onAuthenticationFailure(req, res, e);
                        })
                    .permitAll())
        .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
        .headers(
            h ->
                h.contentSecurityPolicy(
                    c ->
                        c.policyDirectives(
                            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
                                + " img-src 'self' data: blob:; media-src 'self' blob:;"
                                + " frame-ancestors 'none'")));
    return http.build();
  }
}
