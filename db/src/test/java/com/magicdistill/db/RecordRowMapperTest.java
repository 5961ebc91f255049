package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.magicdistill.workflows.RunStatus;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.SimplePropertyRowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rows to records as Spring's {@code SimplePropertyRowMapper} maps them (same values, nulls and
 * instants), without a driver exception per row: the API's run list spent most of its time in them.
 */
class RecordRowMapperTest extends RepositoryTestBase {
  private static final String SUMMARY =
      "select id, name, preset, status, team_id, created_by, created_at, started_at, finished_at,"
          + " error, reused_from_run, reuse_from_stage from runs where team_id = ? order by id";

  private String teamWithRuns(int n) {
    String team = "t-" + UUID.randomUUID().toString().substring(0, 8);
    new TeamRepository(pool).ensureTeam(team);
    RunCreation creation = new RunCreation(pool);
    for (int i = 0; i < n; i++) {
      creation.create(
          new RunCreation.NewRun(
              team + "-" + i,
              "n" + i,
              SPEC,
              "sha-" + i,
              "tiny",
              "v1",
              null,
              null,
              team,
              "tester",
              List.of("a")),
          null);
    }
    repos.runs().updateRunStatus(team + "-0", RunStatus.RUNNING, null);
    repos.runs().updateRunStatus(team + "-1", RunStatus.FAILED, "boom");
    return team;
  }

  @Test
  void mapsAsSpringsMapper() {
    String team = teamWithRuns(4);
    JdbcClient jdbc = JdbcClient.create(pool);
    List<RunQueries.RunSummary> spring =
        jdbc.sql(SUMMARY)
            .param(team)
            .query(new SimplePropertyRowMapper<>(RunQueries.RunSummary.class))
            .list();
    List<RunQueries.RunSummary> ours =
        jdbc.sql(SUMMARY).param(team).query(RecordRowMapper.of(RunQueries.RunSummary.class)).list();
    assertEquals(4, ours.size());
    assertEquals(spring, ours);
    assertEquals(RunStatus.RUNNING, ours.get(0).status());
    assertEquals("boom", ours.get(1).error());
  }

  @Test
  void aMissingColumnIsAnError() {
    String team = teamWithRuns(2);
    var query =
        JdbcClient.create(pool)
            .sql("select id, name from runs where team_id = ?")
            .param(team)
            .query(RecordRowMapper.of(RunQueries.RunSummary.class));
    assertThrows(RuntimeException.class, query::list);
  }

  @Test
  void aListPageThrowsNoDriverExceptions() {
    String team = teamWithRuns(30);
    Counting counting = new Counting(pool);
    RunQueries.Page page =
        new RunQueries(counting.dataSource())
            .list(TeamScope.team(team), RunQueries.RunFilter.ANY, null, 20);
    assertEquals(20, page.items().size());
    assertEquals(0, counting.failures.get(), "result-set calls that threw while one page was read");
    assertEquals(
        page.items().get(3),
        new RunQueries(pool)
            .list(TeamScope.team(team), RunQueries.RunFilter.ANY, null, 20)
            .items()
            .get(3));
  }

  /**
   * A data source whose result sets count the calls that throw (findColumn misses and the like).
   */
  private static final class Counting {
    final AtomicInteger failures = new AtomicInteger();
    private final DataSource target;

    Counting(DataSource target) {
      this.target = target;
    }

    DataSource dataSource() {
      return proxy(DataSource.class, target);
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, Object target) {
      InvocationHandler h =
          (p, method, args) -> {
            Object out;
            try {
              out = method.invoke(target, args);
            } catch (InvocationTargetException e) {
              if (type == ResultSet.class && e.getCause() instanceof SQLException) {
                failures.incrementAndGet();
              }
              throw e.getCause();
            }
            Class<?> r = method.getReturnType();
            if (out != null && r.isInterface()) {
              if (r == Connection.class) {
                return proxy(Connection.class, out);
              }
              if (Statement.class.isAssignableFrom(r)) {
                return proxy(r, out);
              }
              if (r == ResultSet.class) {
                return proxy(ResultSet.class, out);
              }
            }
            return out;
          };
      return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }
  }
}
