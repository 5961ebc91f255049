package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.StageStatus;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The status enums and the CHECK constraints of db/migrations/ name the same values, read from the
 * migrated database, and every value round-trips through its repository.
 */
class StatusConstraintsTest extends RepositoryTestBase {
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  /** The values the CHECK constraint on {@code table.column} allows. */
  private static Set<String> allowed(String table, String column) {
    String definition =
        JdbcClient.create(pool)
            .sql(
                "select pg_get_constraintdef(c.oid) from pg_constraint c"
                    + " join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)"
                    + " where c.conrelid = ?::regclass and c.contype = 'c' and a.attname = ?")
            .params(table, column)
            .query(String.class)
            .single();
    Set<String> values = new TreeSet<>();
    Matcher m = QUOTED.matcher(definition);
    while (m.find()) {
      values.add(m.group(1));
    }
    assertFalse(values.isEmpty(), definition);
    return values;
  }

  private static Set<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void enumsNameExactlyTheValuesTheConstraintsAllow() {
    assertEquals(allowed("runs", "status"), names(RunStatus.values()));
    assertEquals(allowed("stages", "status"), names(StageStatus.values()));
    assertEquals(allowed("stage_attempts", "outcome"), names(AttemptOutcome.values()));
    assertEquals(allowed("artifacts", "kind"), new TreeSet<>(ArtifactRepository.KINDS));
  }

  @Test
  void everyRunStatusRoundTrips() {
    repos.runs().createRun(run("r-enum-run", null));
    for (RunStatus status : RunStatus.values()) {
      repos.runs().updateRunStatus("r-enum-run", status, null);
      assertEquals(status, repos.runs().findRun("r-enum-run").orElseThrow().status());
    }
  }

  @Test
  void everyStageStatusRoundTrips() {
    repos.runs().createRun(run("r-enum-stage", null));
    for (StageStatus status : StageStatus.values()) {
      repos.stages().upsertStage("r-enum-stage", "w2s", 2, status);
      assertEquals(status, repos.stages().stages("r-enum-stage").get(0).status());
    }
  }

  @Test
  void everyAttemptOutcomeRoundTrips() {
    repos.runs().createRun(run("r-enum-attempt", null));
    long id = repos.stages().startAttempt("r-enum-attempt", "w2s", 1, "w", 0, null);
    for (AttemptOutcome outcome : AttemptOutcome.values()) {
      repos.stages().endAttempt(id, outcome, null, null);
      assertEquals(outcome, repos.stages().attempts("r-enum-attempt", "w2s").get(0).outcome());
    }
  }

  @Test
  void everyArtifactKindIsAccepted() {
    repos.runs().createRun(run("r-enum-kind", null));
    for (String kind : ArtifactRepository.KINDS) {
      repos.artifacts().recordArtifact("r-enum-kind", null, kind, "k/" + kind, null, 1);
    }
    assertEquals(
        ArtifactRepository.KINDS,
        repos.artifacts().artifacts("r-enum-kind").stream()
            .map(ArtifactRow::kind)
            .collect(Collectors.toSet()));
  }
}
