package com.magicdistill.console.auth;

import com.magicdistill.db.TeamScope;
import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** A console user as Spring Security holds it: name, BCrypt hash, team and role. */
public final class ConsoleUser extends User {
  private final String teamId;
  private final String role;

  public ConsoleUser(String username, String hash, boolean enabled, String teamId, String role) {
    super(
        username,
        hash,
        enabled,
        true,
        true,
        true,
        List.of(new SimpleGrantedAuthority("ROLE_" + role)));
    this.teamId = teamId;
    this.role = role;
  }

  public String teamId() {
    return teamId;
  }

  public String role() {
    return role;
  }

  /** Admins see every team; everyone else their own. */
  public TeamScope scope() {
    return new TeamScope(teamId, "admin".equals(role));
  }
}
