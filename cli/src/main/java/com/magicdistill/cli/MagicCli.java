package com.magicdistill.cli;

import com.magicdistill.engine.perf.NativeAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./magic}. Each subcommand is a thin shell over one engine class. */
@Command(
    name = "magic",
    mixinStandardHelpOptions = true,
    versionProvider = MagicCli.Version.class,
    description =
        "MagicDistillation in miniature: data, teacher training, distillation, evaluation, and the"
            + " durable pipeline (up, worker, run, runs).",
    subcommands = {
      DataCommand.class,
      TrainCommand.class,
      SampleCommand.class,
      GenerateCommand.class,
      EvalCommand.class,
      DistillCommand.class,
      CheckpointCommand.class,
      BenchCommand.class,
      UpCommand.class,
      ConsoleCommand.class,
      TokenCommand.class,
      WorkerCommand.class,
      RunCommand.class,
      RunsCommand.class,
      DbCommand.class
    })
public final class MagicCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** {@code --version}: the release and how libtorch's memory is served (an operator's check). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "MagicDistill 0.1.0", "native memory: " + NativeAllocator.current().describe()
      };
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    CliLogging logging = CliLogging.configure(args, System.getenv());
    if (logging != null) {
      logging.started(System.err);
    }
    int code = run(args);
    if (logging != null) {
      logging.finished(code, System.err);
    }
    System.exit(code);
  }

  /** Runs the CLI and returns the exit code; configuration errors print one clear line. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new MagicCli());
    cli.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) {
            cmd.getErr().println("magic: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cli.execute(args);
  }
}
