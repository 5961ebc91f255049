package com.magicdistill.cli;

import com.magicdistill.platform.Connections;
import com.magicdistill.platform.ConsoleProcess;
import com.magicdistill.platform.EmbeddedStack;
import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.WorkerProcess;
import com.magicdistill.workflows.TaskQueues;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic up}: the embedded platform in one process, until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Start the embedded platform: PostgreSQL, a local S3 server (S3Proxy), the Temporal test"
            + " server and a worker, on loopback; data under $MAGIC_HOME (~/.magicdistill).")
final class UpCommand implements Callable<Integer> {
  @Option(names = "--no-worker", description = "start the services only")
  boolean noWorker;

  @Option(names = "--no-console", description = "do not start the web console")
  boolean noConsole;

  @Option(
      names = "--console-port",
      defaultValue = "8080",
      description = "port of the web console (default: ${DEFAULT-VALUE})")
  int consolePort;

  @Option(names = "--slots", defaultValue = "1", description = "concurrent stages of the worker")
  int slots;

  @Override
  public Integer call() throws Exception {
    PlatformConfig config = PlatformSession.config();
    EmbeddedStack stack = EmbeddedStack.start(config);
    Connections c = new Connections(config);
    WorkerProcess worker =
        noWorker ? null : PlatformSession.worker(c, List.of(TaskQueues.GPU), slots);
    ConsoleProcess console = noConsole ? null : ConsoleProcess.start(config, consolePort, false);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (console != null) {
                    console.close();
                  }
                  if (worker != null) {
                    worker.close();
                  }
                  c.close();
                  stack.close();
                  stopped.countDown();
                }));
    System.out.println("MagicDistill platform is up:");
    System.out.println("  Temporal   " + config.temporal().target() + " (test server, in memory)");
    System.out.println(
        "  S3         " + config.s3().endpoint() + " bucket " + config.s3().bucket());
    System.out.println("  PostgreSQL " + config.database().jdbcUrl());
    System.out.println(
        "  worker     " + (worker == null ? "none" : worker.identity() + " on " + TaskQueues.GPU));
    System.out.println("  settings   " + config.home().resolve("platform.env"));
    if (console != null) {
      boolean ready = console.awaitReady(java.time.Duration.ofMinutes(3));
      System.out.println(
          "  console    "
              + console.url()
              + (ready
                  ? ": " + ConsoleProcess.loginHint(config)
                  : " did not start; see " + config.home().resolve("logs/console.log")));
    }
    System.out.println(
        "Launch a run from another shell: ./magic run --preset smoke. Ctrl-C stops.");
    stopped.await();
    return 0;
  }
}
