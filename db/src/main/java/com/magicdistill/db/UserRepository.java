package com.magicdistill.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** The console's users: BCrypt password hashes (made by the caller), a team and a role. */
public final class UserRepository {
  public static final Set<String> ROLES = Set.of("member", "team_admin", "admin");

  /** One user; {@code passwordHash} is a BCrypt hash, never a password. */
  public record UserRow(
      long id,
      String username,
      String passwordHash,
      String teamId,
      String role,
      Instant createdAt,
      Instant disabledAt) {}

  private static final String COLUMNS =
      "id, username, password_hash, team_id, role, created_at, disabled_at";

  private final Sql sql;

  public UserRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /**
   * Inserts a user unless one with this name exists.
   *
   * @return true when inserted
   */
  public boolean createIfAbsent(String username, String passwordHash, String teamId, String role) {
    Sql.require(ROLES, "role", role);
    return sql.update(
            "createUser(" + username + ")",
            "insert into users (username, password_hash, team_id, role) values (?, ?, ?, ?)"
                + " on conflict (username) do nothing",
            username,
            passwordHash,
            teamId,
            role)
        == 1;
  }

  public Optional<UserRow> findByUsername(String username) {
    return sql.first(
        "findUser(" + username + ")",
        "select " + COLUMNS + " from users where username = ?",
        UserRow.class,
        username);
  }

  public List<UserRow> list(TeamScope scope) {
    return sql.list(
        "listUsers",
        "select "
            + COLUMNS
            + " from users where "
            + scope.condition("team_id")
            + " order by username",
        UserRow.class,
        scope.params());
  }

  /** How many enabled admins exist (the bootstrap creates one when there are none). */
  public long countAdmins() {
    return sql.single(
            "countAdmins",
            "select count(*) from users where role = 'admin' and disabled_at is null",
            Long.class)
        .orElse(0L);
  }

  /** The user of this scope, if any. */
  public Optional<UserRow> find(TeamScope scope, String username) {
    return sql.first(
        "findUser(" + username + ")",
        "select " + COLUMNS + " from users where username = ? and " + scope.condition("team_id"),
        UserRow.class,
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(username), java.util.Arrays.stream(scope.params()))
            .toArray());
  }

  /**
   * @return false when the scope has no such user
   */
  public boolean setRole(TeamScope scope, String username, String role) {
    Sql.require(ROLES, "role", role);
    return sql.update(
            "setRole(" + username + ")",
            "update users set role = ? where username = ? and " + scope.condition("team_id"),
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(role, username),
                    java.util.Arrays.stream(scope.params()))
                .toArray())
        == 1;
  }

  /** Disables (now) or enables a user; a disabled user cannot log in. */
  public boolean setDisabled(TeamScope scope, String username, boolean disabled) {
    return sql.update(
            "setDisabled(" + username + ")",
            "update users set disabled_at = "
                + (disabled ? "coalesce(disabled_at, now())" : "null")
                + " where username = ? and "
                + scope.condition("team_id"),
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(username), java.util.Arrays.stream(scope.params()))
                .toArray())
        == 1;
  }

  public void setPasswordHash(String username, String passwordHash) {
    int n =
        sql.update(
            "setPassword(" + username + ")",
            "update users set password_hash = ? where username = ?",
            passwordHash,
            username);
    Sql.requireOne(n, "setPassword(" + username + ")", "no user " + username);
  }
}
