package com.magicdistill.console.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated API call; authorities are {@code SCOPE_<scope>}. */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {
  private final ApiCaller caller;

  public ApiTokenAuthentication(ApiCaller caller) {
    super(caller.scopes().stream().map(s -> new SimpleGrantedAuthority("SCOPE_" + s)).toList());
    this.caller = caller;
    setAuthenticated(true);
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public ApiCaller getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller.createdBy();
  }

  public List<String> scopes() {
    return caller.scopes();
  }
}
