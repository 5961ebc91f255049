package com.magicdistill.cli;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic checkpoint weights}: a training checkpoint's EMA model, without optimizer state. */
@Command(
    name = "checkpoint",
    description = "Work with training checkpoints.",
    subcommands = {CheckpointCommand.Weights.class})
final class CheckpointCommand {

  @Command(
      name = "weights",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the model of a checkpoint (its EMA weights, as sampling and distillation read"
            + " them) as a weights-only checkpoint: no optimizer state, about a quarter of the"
            + " size. Every command that takes a teacher or checkpoint folder reads it as the"
            + " same model; training cannot resume from it.",
        "Example: magic checkpoint weights --checkpoint runs/t1/teacher --out teacher-weights"
      })
  static final class Weights implements Callable<Integer> {
    @Option(
        names = "--checkpoint",
        required = true,
        description =
            "a phase folder written by 'magic train teacher' (its newest checkpoint is used) or"
                + " one checkpoint folder in it")
    Path checkpoint;

    @Option(
        names = "--out",
        required = true,
        description = "folder to write the weights-only checkpoint to (must not exist yet)")
    Path out;

    @Override
    public Integer call() throws Exception {
      Path target = out.toAbsolutePath().normalize();
      if (Files.exists(target)) {
        throw new IllegalArgumentException(
            "--out: " + out + " already exists; give a folder that does not exist yet");
      }
      CheckpointPath source = CheckpointPath.of(checkpoint);
      Files.createDirectories(target.getParent());
      try (NDManager root = NDManager.newBaseManager()) {
        CheckpointIO.Manifest written =
            ModelCheckpoints.saveWeightsOnly(
                source.store(),
                source.prefix(),
                new LocalDirectoryStore(target.getParent()),
                target.getFileName().toString(),
                root);
        System.out.printf(
            "wrote %s: %d tensors, %d bytes, step %d, %s%n",
            out,
            written.tensors().size(),
            written.tensorBytes(),
            written.step(),
            written.checksum());
      }
      return 0;
    }
  }
}
