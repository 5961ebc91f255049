package com.magicdistill.console.auth;

import com.magicdistill.console.platform.ConsoleRepositories;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Console users from the {@code users} table. */
@Component
public class ConsoleUsers implements UserDetailsService {
  private final ConsoleRepositories repositories;

  public ConsoleUsers(ConsoleRepositories repositories) {
    this.repositories = repositories;
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    return repositories
        .users()
        .findByUsername(username)
        .map(
            u ->
                new ConsoleUser(
                    u.username(), u.passwordHash(), u.disabledAt() == null, u.teamId(), u.role()))
        .orElseThrow(() -> new UsernameNotFoundException("no such user"));
  }
}
