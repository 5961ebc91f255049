package com.magicdistill.console.platform;

import com.magicdistill.db.ApiTokenRepository;
import com.magicdistill.db.Repositories;
import com.magicdistill.db.RunQueries;
import com.magicdistill.db.TeamRepository;
import com.magicdistill.db.UserRepository;
import javax.sql.DataSource;

/** The repositories the console reads and writes, over one pool. */
public record ConsoleRepositories(
    Repositories pipeline,
    RunQueries runs,
    TeamRepository teams,
    UserRepository users,
    ApiTokenRepository tokens) {
  public static ConsoleRepositories of(DataSource ds) {
    return new ConsoleRepositories(
        Repositories.of(ds),
        new RunQueries(ds),
        new TeamRepository(ds),
        new UserRepository(ds),
        new ApiTokenRepository(ds));
  }
}
