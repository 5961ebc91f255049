package com.magicdistill.cli;

import com.magicdistill.db.Repositories;
import com.magicdistill.platform.Connections;
import com.magicdistill.platform.PlatformConfig;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code magic runs}: list runs, show one, pause, resume or cancel it. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List runs (newest first), or: runs show|pause|resume|cancel RUN_ID.")
final class RunsCommand implements Callable<Integer> {
  private static final Pattern JDBC_HOST =
      Pattern.compile("jdbc:postgresql://([A-Za-z0-9.-]+)(?::(\\d+))?(?:[/?].*)?");

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
    requireReachable(config, !"list".equals(action) && !"show".equals(action));
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

  /**
   * Fails with what to do when PostgreSQL (and, to steer a run, Temporal) does not answer, instead
   * of a driver's stack trace after its connect timeout.
   */
  static void requireReachable(PlatformConfig config, boolean temporalToo) throws IOException {
    String db = hostPort(config.database().jdbcUrl());
    if (db != null && !PlatformSession.listening(db)) {
      throw new IOException(
          config.embeddedDatabase()
              ? "no platform is running (nothing answers at "
                  + db
                  + "): start one with ./magic up in another shell, or set MAGIC_JDBC_URL and"
                  + " MAGIC_TEMPORAL_ADDRESS to yours"
              : "PostgreSQL at "
                  + config.database().jdbcUrl()
                  + " does not answer: start it, correct MAGIC_JDBC_URL, or unset MAGIC_JDBC_URL"
                  + " and start the embedded platform with ./magic up");
    }
    if (temporalToo && !PlatformSession.listening(config.temporal().target())) {
      throw new IOException(
          "no Temporal frontend at "
              + config.temporal().target()
              + (config.temporal().embedded()
                  ? ": start the platform with ./magic up in another shell"
                  : ": start it, or correct MAGIC_TEMPORAL_ADDRESS"));
    }
  }

  /** {@code host:port} of a {@code jdbc:postgresql://host[:port]/...} URL, or null. */
  static String hostPort(String jdbcUrl) {
    Matcher m = JDBC_HOST.matcher(jdbcUrl);
    if (!m.matches()) {
      return null; // several hosts, IPv6, another driver: let the driver decide
    }
    return m.group(1) + ":" + (m.group(2) == null ? "5432" : m.group(2));
  }

  private void show(Repositories repo) {
    var run =
        repo.runs()
            .findRun(runId)
            .orElseThrow(
                () -> new IllegalArgumentException("no run " + runId + " (see ./magic runs)"));
    System.out.println(
        run.id() + " " + run.status() + (run.error() == null ? "" : ": " + run.error()));
    var counts = repo.stages().attemptCounts(runId);
    System.out.printf(
        "  preemptions %d (lost or drained attempts), errors %d (failed attempts)%n",
        counts.preemptions(), counts.errors());
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
