package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import com.magicdistill.console.runs.RunService;
import com.magicdistill.console.schedules.ScheduleTicker;
import com.magicdistill.db.RunQueries;
import com.magicdistill.db.TeamScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/** A cron schedule launches one run per tick, even when two console replicas tick together. */
class SchedulesTest extends ConsoleTest {
  @Autowired RunService runs;

  @Test
  void eachTickLaunchesExactlyOneRunAcrossReplicas() throws Exception {
    String team = team("cron");
    String token = token(team);
    String bad =
        mvc.perform(
                post("/api/v1/schedules")
                    .header("Authorization", bearer(token))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"name\":\"n\",\"cron\":\"every day\",\"run\":{\"preset\":\"smoke\"}}"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(JsonPath.<String>read(bad, "$.errors[0].field")).isEqualTo("cron");
    mvc.perform(
            post("/api/v1/schedules")
                .header("Authorization", bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\"nightly\",\"cron\":\"*/10 * * * * *\",\"run\":{\"preset\":\"smoke\"}}"))
        .andReturn();

    // two replicas: two tickers over one database, ticking at the same instants
    ScheduleTicker a = new ScheduleTicker(ConsoleTestStack.get().backends(), runs);
    ScheduleTicker b = new ScheduleTicker(ConsoleTestStack.get().backends(), runs);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Instant now = Instant.now().plusSeconds(60);
      for (int tick = 0; tick < 3; tick++) {
        Instant at = now.plusSeconds(10L * tick);
        List<Callable<Integer>> both = List.of(() -> a.tick(at), () -> b.tick(at));
        List<Integer> launched = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(both)) {
          launched.add(f.get());
        }
        assertThat(launched.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
        assertThat(a.tick(at)).isZero(); // the same tick again launches nothing
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            repositories
                .runs()
                .list(TeamScope.team(team), RunQueries.RunFilter.ANY, null, 50)
                .items())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.createdBy()).startsWith("schedule:sch_"));
  }
}
