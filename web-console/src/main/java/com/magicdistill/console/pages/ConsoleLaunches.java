package com.magicdistill.console.pages;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.runs.RunService;
import com.magicdistill.workflows.RunSpec;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Launches from the console as the logged-in user's team, through the API's path ({@code
 * RunService}: one transaction for the run and its stages, the team quota, the audit log, then the
 * workflow; a failed start leaves a QUEUED run the reconciler submits). The spec is stored as the
 * console writes it ({@link SpecJson}). The run id is the natural key: posting the same form twice
 * (same id, same spec, same team) answers the first run, so a double submit launches once.
 */
@Component
public class ConsoleLaunches {
  /** What a launch gave: the run, whether it existed already, and a note when Temporal failed. */
  public record Launched(String runId, boolean replayed, String warning) {}

  /** A run with this id exists with another spec or team. */
  public static final class RunIdTaken extends RuntimeException {
    public RunIdTaken(String runId) {
      super("a run with this id exists; pick a new id (got " + runId + ")");
    }
  }

  /** The team is at its quota of queued, running and paused runs. */
  public static final class QuotaExceeded extends RuntimeException {
    public QuotaExceeded(String teamId) {
      super(
          "team "
              + teamId
              + " has as many runs queued, running or paused as its quota allows: wait for one to"
              + " end or cancel one");
    }
  }

  private final RunService runs;

  public ConsoleLaunches(RunService runs) {
    this.runs = runs;
  }

  public static String newRunId() {
    return "r-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  /** Records and starts {@code spec} (already valid) for {@code user}'s team. */
  public Launched launch(RunSpec spec, ConsoleUser user) {
    RunService.Created c;
    try {
      c =
          runs.launch(
              new RunService.Launcher(user.teamId(), user.getUsername()),
              spec,
              SpecJson.write(spec));
    } catch (ApiException e) {
      switch (e.slug()) {
        case "run-id-exists" -> throw new RunIdTaken(spec.runId());
        case RunService.QUOTA_SLUG -> throw new QuotaExceeded(user.teamId());
        default -> throw e;
      }
    }
    return new Launched(
        c.run().id(),
        c.replayed(),
        c.started()
            ? null
            : "recorded as QUEUED, but Temporal did not accept it yet; it starts when Temporal is"
                + " back");
  }
}
