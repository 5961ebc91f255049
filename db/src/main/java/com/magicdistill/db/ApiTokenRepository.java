package com.magicdistill.db;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code api_tokens} table: hashes of team API tokens, their scopes and use. */
public final class ApiTokenRepository {
  /** A stored token: never the token itself. {@code scopes} is sorted. */
  public record TokenRow(
      String id,
      String teamId,
      String name,
      byte[] tokenSha256,
      List<String> scopes,
      String createdBy,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      Instant revokedAt) {
    public boolean usable(Instant now) {
      return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
  }

  private record Raw(
      String id,
      String teamId,
      String name,
      byte[] tokenSha256,
      String scopes,
      String createdBy,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      Instant revokedAt) {
    TokenRow row() {
      return new TokenRow(
          id,
          teamId,
          name,
          tokenSha256,
          scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split(",")),
          createdBy,
          createdAt,
          expiresAt,
          lastUsedAt,
          revokedAt);
    }
  }

  private static final String COLUMNS =
      "id, team_id, name, token_sha256, array_to_string(scopes, ',') as scopes, created_by,"
          + " created_at, expires_at, last_used_at, revoked_at";

  private final Sql sql;

  public ApiTokenRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /** Stores {@code token}'s hash for {@code teamId}; the team must exist. */
  public TokenRow create(
      ApiTokens.NewToken token,
      String teamId,
      String name,
      List<String> scopes,
      String createdBy,
      Instant expiresAt) {
    sql.update(
        "createToken(" + token.id() + ")",
        "insert into api_tokens (id, team_id, name, token_sha256, scopes, created_by, expires_at)"
            + " values (?, ?, ?, ?, string_to_array(?, ','), ?, ?)",
        token.id(),
        teamId,
        name,
        token.sha256(),
        String.join(",", scopes),
        createdBy,
        expiresAt);
    return find(token.id()).orElseThrow();
  }

  public Optional<TokenRow> find(String id) {
    return sql.first(
            "findToken(" + id + ")",
            "select " + COLUMNS + " from api_tokens where id = ?",
            Raw.class,
            id)
        .map(Raw::row);
  }

  public List<TokenRow> list(TeamScope scope) {
    return sql
        .list(
            "listTokens",
            "select "
                + COLUMNS
                + " from api_tokens where "
                + scope.condition("team_id")
                + " order by created_at desc, id",
            Raw.class,
            scope.params())
        .stream()
        .map(Raw::row)
        .toList();
  }

  /**
   * Revokes a token of the scope's team.
   *
   * @return false when there is no such token for that team (already revoked counts as done)
   */
  public boolean revoke(TeamScope scope, String id) {
    Object[] params = concat(scope.params(), id);
    return sql.update(
            "revokeToken(" + id + ")",
            "update api_tokens set revoked_at = coalesce(revoked_at, now()) where "
                + scope.condition("team_id")
                + " and id = ?",
            params)
        == 1;
  }

  /** Records use; callers batch it (at most once a minute per token). */
  public void touch(String id, Instant at) {
    sql.update(
        "touchToken(" + id + ")",
        "update api_tokens set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)",
        at,
        id,
        at);
  }

  static Object[] concat(Object[] a, Object... b) {
    Object[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
