package com.magicdistill.cli;

import ai.djl.ndarray.NDManager;
import com.magicdistill.bench.ModelVariant;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipKind;
import com.magicdistill.engine.data.DatasetItem;
import com.magicdistill.engine.data.DatasetReader;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.StageControl;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.engine.train.TimestepSampling;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.engine.train.TrainingPhase;
import com.magicdistill.storage.LocalDirectoryStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code magic train teacher}: base, then portrait fine-tune (docs/ALGORITHM.md#teacher). */
@Command(
    name = "train",
    description = "Train models.",
    subcommands = {TrainCommand.Teacher.class})
final class TrainCommand {

  @Command(
      name = "teacher",
      mixinStandardHelpOptions = true,
      description =
          "Base pretraining on every clip of --data, then portrait fine-tune on the clips the"
              + " quality filter kept. Checkpoints go to <out>/base and <out>/teacher.")
  static final class Teacher implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "dataset folder (magic data ...)")
    Path data;

    @Option(names = "--out", required = true, description = "run folder for checkpoints")
    Path out;

    @Option(
        names = "--preset",
        defaultValue = "smoke",
        description = "smoke, mid, paper or paper-v2")
    String preset;

    @Option(names = "--base-steps", description = "override base pretraining steps")
    Integer baseSteps;

    @Option(names = "--steps", description = "override fine-tune steps")
    Integer steps;

    @Option(names = "--batch-size", description = "override clips per step")
    Integer batchSize;

    @Option(names = "--checkpoint-every", description = "override steps between checkpoints")
    Integer checkpointEvery;

    @Option(
        names = "--base",
        description = "start from this base checkpoint folder and skip base pretraining")
    Path base;

    @Option(names = "--resume", description = "continue each phase from its newest checkpoint")
    boolean resume;

    @Option(
        names = "--train-shift",
        description =
            "override the timestep shift of the training noise levels, both phases (1 = none;"
                + " paper-v2 and mid train at 3)")
    Double trainShift;

    @Option(
        names = "--train-sigma-mean",
        description =
            "override the mean of the logit-normal training noise levels, both phases (0 = the"
                + " presets'; above 0 more high noise, below 0 more low noise)")
    Double trainSigmaMean;

    @Mixin ModelOptions model;

    /** Flags of the base pretraining config. */
    static final FieldFlags BASE =
        FieldFlags.withPreset("steps", "--base-steps", "checkpointEvery", "--checkpoint-every");

    /** Flags of the fine-tune config. */
    static final FieldFlags FINE_TUNE =
        FieldFlags.withPreset("steps", "--steps", "checkpointEvery", "--checkpoint-every");

    /** Flags of the two phases' noise levels. */
    static final FieldFlags SAMPLING =
        FieldFlags.withPreset(
            "trainShift", "--train-shift", "trainSigmaMean", "--train-sigma-mean");

    /** Flags of the two phases' shared settings. */
    static final FieldFlags TRAINING =
        FieldFlags.withPreset("baseBatchSize", "--batch-size", "fineTuneBatchSize", "--batch-size");

    @Override
    public Integer call() throws Exception {
      CommandLine cmd = new CommandLine(this);
      if (base != null && model.given()) {
        throw new CommandLine.ParameterException(
            cmd,
            "--prediction and --patch-skip choose the model of a new base; with --base the model"
                + " is the base checkpoint's: drop them, or drop --base to train the base too");
      }
      EnginePreset p =
          new ModelVariant(null, model.prediction(cmd), model.patchSkip)
              .apply(EnginePreset.byName(preset));
      TrainConfig baseCfg = BASE.build(() -> override(p.base(), baseSteps));
      TrainConfig tuneCfg = FINE_TUNE.build(() -> override(p.finetune(), steps));
      int batch = batchSize != null ? batchSize : p.batchSize();
      TimestepSampling sampling = SAMPLING.build(() -> sampling(p.trainSampling()));
      TeacherTraining training =
          TRAINING.build(
              () -> new TeacherTraining(p.model(), baseCfg, tuneCfg, batch, batch, sampling));
      DatasetReader reader = DatasetReader.open(data);
      List<Clip> all = clips(reader.readAll());
      List<Clip> kept = clips(reader.readKept(ClipKind.PORTRAIT));
      if (kept.isEmpty()) {
        throw new IllegalArgumentException(
            "data: no portrait clip in "
                + data
                + " passed the quality filter; see the verdicts in its manifest.json");
      }
      if (!all.get(0).shape().equals(p.model().clip())) {
        throw new IllegalArgumentException(
            "data: clips are "
                + all.get(0).shape()
                + " but preset "
                + preset
                + " expects "
                + p.model().clip()
                + "; re-create the dataset with that shape");
      }
      var run =
          new CheckpointedRun<TeacherTraining.Listener>(
              new LocalDirectoryStore(out), "", resume, new Progress(), StageControl.NONE);
      try (NDManager root = NDManager.newBaseManager()) {
        if (base != null) {
          CheckpointPath cp = CheckpointPath.of(base);
          VideoDiT model = ModelCheckpoints.loadEma(cp.store(), cp.prefix(), root);
          System.out.println("starting from base checkpoint " + base);
          training.fineTune(model, kept, run);
        } else {
          training.run(all, kept, root, run);
        }
      }
      System.out.println("teacher checkpoint: " + out.resolve(TeacherTraining.TEACHER));
      return 0;
    }

    /** The preset's noise levels with the --train-shift and --train-sigma-mean overrides. */
    TimestepSampling sampling(TimestepSampling preset) {
      return new TimestepSampling(
          trainShift != null ? trainShift : preset.trainShift(),
          trainSigmaMean != null ? trainSigmaMean : preset.trainSigmaMean(),
          preset.firstFrameDropout());
    }

    /** A progress bar per phase, then the phase's summary line. */
    private static final class Progress implements TeacherTraining.Listener {
      private ConsoleProgress bar;
      private TrainConfig config;

      @Override
      public TrainingListener phaseStarted(String phase, TrainConfig cfg, long stepOffset) {
        config = cfg;
        bar = new ConsoleProgress("train " + phase, cfg.steps());
        return s ->
            bar.step(
                s.step() + 1, String.format(Locale.ROOT, "loss %.4f lr %.2e", s.loss(), s.lr()));
      }

      @Override
      public void phaseEnded(String phase, TrainingPhase.Result result) {
        if (result != null) {
          bar.step(config.steps(), "done");
        }
        if (result != null && result.summary().ranNoStep()) {
          System.out.printf("%n%s: %s%n", phase, result.summary().describe());
        } else if (result != null) {
          System.out.printf(
              Locale.ROOT,
              "%n%s: %d steps, last loss %.4f, %.0f ms/step (median)%s%n",
              phase,
              result.summary().completedSteps(),
              result.summary().lastLoss(),
              result.medianMsPerStep(),
              result.resumed() ? ", resumed" : "");
        }
        bar.close();
      }
    }

    private TrainConfig override(TrainConfig cfg, Integer newSteps) {
      TrainConfig c = newSteps != null ? cfg.withSteps(newSteps) : cfg;
      if (checkpointEvery != null) {
        c = c.withCheckpointEvery(checkpointEvery);
      }
      return c;
    }

    private static List<Clip> clips(List<DatasetItem> items) {
      return items.stream().map(i -> i.clip().clip()).toList();
    }
  }
}
