package com.magicdistill.cli;

import com.magicdistill.platform.Connections;
import com.magicdistill.platform.WorkerProcess;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
      defaultValue = "gpu",
      split = ",",
      description = "stage task queue(s) to serve (default gpu)")
  List<String> queues;

  @Option(names = "--slots", defaultValue = "1", description = "concurrent stages (GPU slots)")
  int slots;

  @Override
  public Integer call() throws Exception {
    if (slots < 1) {
      throw new IllegalArgumentException("--slots must be at least 1 (got " + slots + ")");
    }
    Connections c = new Connections(PlatformSession.config());
    WorkerProcess worker = PlatformSession.worker(c, queues, slots);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  c.close();
                  stopped.countDown();
                }));
    System.out.println(
        "worker " + worker.identity() + " serving " + queues + " (" + slots + " slots)");
    stopped.await();
    return 0;
  }
}
