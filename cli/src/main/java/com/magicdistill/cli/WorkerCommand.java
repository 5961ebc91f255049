package com.magicdistill.cli;

import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.ProcessSettings;
import com.magicdistill.platform.WorkerMain;
import com.magicdistill.platform.WorkerRole;
import com.magicdistill.workflows.TaskQueues;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic worker}: one worker node (one per GPU node, or a pipeline worker). */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Run a worker: --role all serves the pipeline queue plus the given stage queues, stages"
            + " only the stage queues, pipeline only the pipeline queue (and reconciles). Endpoints"
            + " from MAGIC_* environment variables (default: the embedded stack of ./magic up).")
final class WorkerCommand implements Callable<Integer> {
  @Option(
      names = "--role",
      defaultValue = "all",
      converter = RoleConverter.class,
      description = "pipeline, stages or all (default ${DEFAULT-VALUE})")
  WorkerRole role;

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
    if (slots < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--slots must be at least 1 (got " + slots + ")");
    }
    PlatformConfig config = PlatformSession.config();
    int port = config.process().metricsPort().orElse(ProcessSettings.DEFAULT_WORKER_METRICS_PORT);
    WorkerMain.runUntilStopped(config, role, queues, slots, OptionalInt.of(port));
    return 0;
  }

  static final class RoleConverter implements CommandLine.ITypeConverter<WorkerRole> {
    @Override
    public WorkerRole convert(String value) {
      try {
        return WorkerRole.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("use pipeline, stages or all");
      }
    }
  }
}
