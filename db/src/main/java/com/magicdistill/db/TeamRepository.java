package com.magicdistill.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** The {@code teams} table: who owns runs, tokens and webhooks. */
public final class TeamRepository {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** One team. */
  public record TeamRow(String id, String name, Integer maxActiveRuns, Instant createdAt) {}

  private final Sql sql;

  public TeamRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /** Creates the team if it does not exist (its name is the id). */
  public void ensureTeam(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "team is invalid (got " + id + "): use 1-63 characters of a-z, 0-9 and '-'");
    }
    sql.update(
        "ensureTeam(" + id + ")",
        "insert into teams (id, name) values (?, ?) on conflict (id) do nothing",
        id,
        id);
  }

  public Optional<TeamRow> find(String id) {
    return sql.first(
        "findTeam(" + id + ")",
        "select id, name, max_active_runs, created_at from teams where id = ?",
        TeamRow.class,
        id);
  }

  public List<TeamRow> list() {
    return sql.list(
        "listTeams",
        "select id, name, max_active_runs, created_at from teams order by id",
        TeamRow.class);
  }
}
