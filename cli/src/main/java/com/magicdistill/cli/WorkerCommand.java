package com.magicdistill.cli;

import com.magicdistill.platform.WorkerMain;
import com.magicdistill.workflows.TaskQueues;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic worker}: one worker node (one per GPU node). */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Run a worker: the pipeline queue plus the given stage queues. Endpoints from MAGIC_*"
            + " environment variables (default: the embedded stack of ./magic up).")
final class WorkerCommand implements Callable<Integer> {
  @Option(
      names = "--queue",
      defaultValue = TaskQueues.GPU,
      split = ",",
      description = "stage task queue(s) to serve (default ${DEFAULT-VALUE})")
  List<String> queues;

  @Option(names = "--slots", defaultValue = "1", description = "concurrent stages (GPU slots)")
  int slots;

  @Override
  public Integer call() throws Exception {
    WorkerMain.runUntilStopped(PlatformSession.config(), queues, slots);
    return 0;
  }
}
