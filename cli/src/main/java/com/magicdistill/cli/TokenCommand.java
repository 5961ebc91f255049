package com.magicdistill.cli;

import com.magicdistill.db.ApiTokenRepository;
import com.magicdistill.db.ApiTokens;
import com.magicdistill.db.AuditLogRepository;
import com.magicdistill.db.Database;
import com.magicdistill.db.TeamRepository;
import com.magicdistill.db.TeamScope;
import com.magicdistill.platform.PlatformConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic token}: team API tokens for the REST API. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Team API tokens for the REST API (/api/v1).",
    subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class})
final class TokenCommand {
  /** {@code magic token create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a team API token and print it once (only its SHA-256 is stored). The team is"
              + " created if it does not exist.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--team", required = true, description = "team id, e.g. recsys")
    String team;

    @Option(
        names = "--scopes",
        defaultValue = "runs:read,runs:write",
        description =
            "comma list of runs:read, runs:write, models:read, webhooks:manage, tokens:manage,"
                + " users:manage"
                + " (default: ${DEFAULT-VALUE})")
    String scopes;

    @Option(names = "--name", defaultValue = "cli", description = "label shown in token lists")
    String name;

    @Override
    public Integer call() {
      List<String> parsed = ApiTokens.parseScopes(scopes);
      PlatformConfig config = PlatformSession.config();
      try (HikariDataSource ds = Database.connect(config.database(), 2)) {
        Database.migrate(ds);
        ApiTokens.NewToken token = issue(ds, team, name, parsed, actor());
        System.err.println(
            "token "
                + token.id()
                + " for team "
                + team
                + " with scopes "
                + String.join(",", parsed)
                + "; it is shown once, store it now:");
        System.out.println(token.token());
      }
      return 0;
    }

    /**
     * Creates the team if needed and the token, and writes {@code token.create} to the audit log as
     * the console and the API do (actor: who created it; target: {@code token:<id>}).
     */
    static ApiTokens.NewToken issue(
        DataSource ds, String team, String name, List<String> scopes, String actor) {
      new TeamRepository(ds).ensureTeam(team);
      ApiTokens.NewToken token = ApiTokens.generate();
      new ApiTokenRepository(ds).create(token, team, name, scopes, actor, null);
      new AuditLogRepository(ds).record(actor, team, "token.create", null, target(token.id()));
      return token;
    }
  }

  /** Who the audit log names for a command-line change. */
  static String actor() {
    return "cli:" + System.getProperty("user.name");
  }

  static String target(String tokenId) {
    return "token:" + tokenId;
  }

  /** {@code magic token revoke}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id.")
  static final class Revoke implements Callable<Integer> {
    @Option(names = "--team", required = true, description = "the token's team")
    String team;

    @Option(names = "--id", required = true, description = "token id (the 8 characters after mdt_)")
    String id;

    @Override
    public Integer call() {
      PlatformConfig config = PlatformSession.config();
      try (HikariDataSource ds = Database.connect(config.database(), 2)) {
        boolean done = revoke(ds, team, id, actor());
        System.out.println(done ? "revoked " + id : "no token " + id + " in team " + team);
        return done ? 0 : 1;
      }
    }

    /** Revokes the team's token and writes {@code token.revoke} to the audit log. */
    static boolean revoke(DataSource ds, String team, String id, String actor) {
      boolean done = new ApiTokenRepository(ds).revoke(TeamScope.team(team), id);
      if (done) {
        new AuditLogRepository(ds).record(actor, team, "token.revoke", null, target(id));
      }
      return done;
    }
  }
}
