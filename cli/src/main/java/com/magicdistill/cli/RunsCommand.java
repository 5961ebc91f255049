package com.magicdistill.cli;

import com.magicdistill.db.Repositories;
import com.magicdistill.platform.Connections;
import com.magicdistill.platform.PlatformConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code magic runs}: list runs, show one, pause, resume or cancel it. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List runs (newest first), or: runs show|pause|resume|cancel RUN_ID.")
final class RunsCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      description = "list (default), show, pause, resume, cancel")
  String action = "list";

  @Parameters(index = "1", arity = "0..1", description = "run id")
  String runId;

  @Option(names = "--limit", defaultValue = "20")
  int limit;

  @Override
  public Integer call() throws Exception {
    PlatformConfig config = PlatformSession.config();
    PlatformSession.requireDatabase(config);
    try (Connections c = new Connections(config)) {
      Repositories repo = c.repositories();
      if ("list".equals(action)) {
        System.out.printf("%-32s %-10s %-8s %s%n", "run", "status", "preset", "created");
        for (var r : repo.runs().listRuns(limit)) {
          System.out.printf("%-32s %-10s %-8s %s%n", r.id(), r.status(), r.preset(), r.createdAt());
        }
        return 0;
      }
      if (runId == null) {
        throw new IllegalArgumentException("runs " + action + ": give a RUN_ID (see ./magic runs)");
      }
      switch (action) {
        case "show" -> show(repo);
        case "pause" -> c.pipeline().pause(runId);
        case "resume" -> c.pipeline().resume(runId);
        case "cancel" -> c.pipeline().cancel(runId, "cancelled from the CLI");
        default ->
            throw new IllegalArgumentException(
                "runs: unknown action '" + action + "'; use list, show, pause, resume or cancel");
      }
      if (!"show".equals(action)) {
        System.out.println(action + " sent to " + runId);
      }
      return 0;
    }
  }

  private void show(Repositories repo) {
    var run =
        repo.runs()
            .findRun(runId)
            .orElseThrow(
                () -> new IllegalArgumentException("no run " + runId + " (see ./magic runs)"));
    System.out.println(
        run.id() + " " + run.status() + (run.error() == null ? "" : ": " + run.error()));
    for (var s : repo.stages().stages(runId)) {
      System.out.printf("  %-9s %-9s outputs %s%n", s.stage(), s.status(), s.outputsJson());
      for (var a : repo.stages().attempts(runId, s.stage())) {
        System.out.printf(
            "      attempt %d on %s: %s, steps %d..%s%n",
            a.attempt(), a.worker(), a.outcome(), a.startStep(), a.endStep());
      }
    }
  }
}
