package com.magicdistill.cli;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipKind;
import com.magicdistill.engine.data.DatasetReader;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistillationStages;
import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.distill.GeneratorExport;
import com.magicdistill.engine.distill.lcm.LcmConfig;
import com.magicdistill.engine.distill.lcm.LcmDistillation;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.StageControl;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.storage.LocalDirectoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic distill w2s|lcm}: a teacher into a 4-step generator (docs/ALGORITHM.md#stages). */
@Command(
    name = "distill",
    description = "Distil a teacher into a 4-step generator.",
    subcommands = {DistillCommand.W2s.class, DistillCommand.Lcm.class})
final class DistillCommand {

  /** Options every distillation shares. */
  static class Common {
    @Option(
        names = "--teacher",
        required = true,
        description = "teacher folder, e.g. runs/t1/teacher")
    Path teacher;

    @Option(names = "--data", required = true, description = "dataset folder (its kept portraits)")
    Path data;

    @Option(names = "--out", required = true, description = "run folder for checkpoints")
    Path out;

    @Option(names = "--preset", defaultValue = "smoke", description = "smoke or paper")
    String preset;

    @Option(names = "--resume", description = "continue each stage from its newest checkpoint")
    boolean resume;

    List<Clip> clips() throws Exception {
      List<Clip> kept =
          DatasetReader.open(data).readKept(ClipKind.PORTRAIT).stream()
              .map(i -> i.clip().clip())
              .toList();
      if (kept.isEmpty()) {
        throw new IllegalArgumentException(
            "data: no portrait clip in " + data + " passed the quality filter");
      }
      return kept;
    }

    VideoDiT loadTeacher(NDManager m) throws Exception {
      CheckpointPath cp = CheckpointPath.of(teacher);
      return ModelCheckpoints.loadEma(cp.store(), cp.prefix(), m);
    }
  }

  @Command(
      name = "w2s",
      mixinStandardHelpOptions = true,
      description =
          "DMD-LoRA stage (plain DMD2), then weak-to-strong matching from its generator and LoRA,"
              + " then export of the W2S generator as a model package (<out>/export).")
  static final class W2s extends Common implements Callable<Integer> {
    @Option(names = "--iterations", description = "override DMD-LoRA generator updates")
    Integer iterations;

    @Option(names = "--w2s-iterations", description = "override W2S generator updates")
    Integer w2sIterations;

    @Option(names = "--alpha-weak", description = "LoRA scale on the real model (default 0.25)")
    Float alphaWeak;

    @Option(names = "--regression", description = "add the regression term (paper: off)")
    boolean regression;

    /** Flags of the DMD-LoRA stage's config. */
    static final FieldFlags DMD_LORA = FieldFlags.withPreset("iterations", "--iterations");

    /** Flags of the W2S stage's config. */
    static final FieldFlags W2S =
        FieldFlags.withPreset("iterations", "--w2s-iterations", "alphaWeak", "--alpha-weak");

    @Override
    public Integer call() throws Exception {
      DistillPreset p = DistillPreset.byName(preset);
      DistillConfig dmd =
          DMD_LORA.build(
              () -> {
                DistillConfig c = p.dmd().withRegression(regression);
                return iterations != null ? c.withIterations(iterations) : c;
              });
      DistillationStages stages =
          W2S.build(
              () ->
                  DistillationStages.of(
                      dmd,
                      alphaWeak != null ? alphaWeak : p.alphaWeak(),
                      w2sIterations != null ? w2sIterations : p.w2sIterations()));
      List<Clip> clips = clips();
      var store = new LocalDirectoryStore(out);
      try (NDManager root = NDManager.newBaseManager()) {
        VideoDiT teacherModel = loadTeacher(root);
        stage(
            store,
            "dmd",
            stages.dmd().iterations(),
            run -> stages.dmdLora(teacherModel, clips, root, 0, run));
        stage(
            store,
            "w2s",
            stages.w2s().iterations(),
            run -> stages.w2s(teacherModel, clips, root, "dmd", 0, run));
      }
      Path export = out.resolve("export").resolve("w2s");
      if (Files.exists(export)) {
        System.out.println("model package already exported: " + export);
        return 0;
      }
      Path manifest = data.resolve("manifest.json");
      Map<String, Object> hyper = new LinkedHashMap<>();
      hyper.put("distill", Json.MAPPER.convertValue(stages.w2s(), Map.class));
      CheckpointPath teacherPath = CheckpointPath.of(teacher);
      GeneratorExport.export(
          store,
          "w2s",
          new GeneratorExport.Lineage(
              teacherPath.store(),
              teacherPath.prefix(),
              out.getFileName().toString(),
              Sha256.of(Files.readAllBytes(manifest)),
              hyper,
              Map.of()),
          export);
      System.out.println("exported the W2S generator: " + export);
      return 0;
    }

    /** One engine call that runs a stage as {@code run} says. */
    private interface StageCall {
      DistributionMatching.Result run(CheckpointedRun<DistributionMatching.Listener> run)
          throws IOException;
    }

    /** Runs the stage checkpointed under {@code name} with a progress bar, then reports it. */
    private void stage(LocalDirectoryStore store, String name, int iterations, StageCall call)
        throws IOException {
      ConsoleProgress[] bar = {null};
      try {
        var listener =
            new DistributionMatching.Listener() {
              long first;

              @Override
              public void onUpdates(long done, long last) {
                // The bar counts this stage's updates; a resumed stage's starts where it stopped.
                first = last - iterations;
                bar[0] =
                    new ConsoleProgress("distill " + name, iterations, Math.max(0, done - first));
              }

              @Override
              public void onIteration(DistributionMatching.IterationStats s) {
                bar[0].step(
                    s.iteration() - first,
                    String.format(
                        Locale.ROOT, "gen %.4f critic %.4f", s.generatorLoss(), s.criticLoss()));
              }
            };
        var r = call.run(new CheckpointedRun<>(store, name, resume, listener, StageControl.NONE));
        System.out.printf(
            Locale.ROOT,
            "%n%s: generator iterations %d..%d, %.0f ms per iteration (median)%n",
            name,
            r.startIteration(),
            r.endIteration(),
            r.medianMsPerIteration());
      } finally {
        if (bar[0] != null) {
          bar[0].close();
        }
      }
    }
  }

  @Command(
      name = "lcm",
      mixinStandardHelpOptions = true,
      description = "The LCM-4 baseline: latent consistency distillation of the teacher.")
  static final class Lcm extends Common implements Callable<Integer> {
    @Option(names = "--steps", description = "override training steps")
    Integer steps;

    /** Flags of the LCM config. */
    static final FieldFlags LCM = FieldFlags.withPreset("steps", "--steps");

    @Override
    public Integer call() throws Exception {
      LcmConfig presetCfg = DistillPreset.byName(preset).lcm();
      LcmConfig cfg = steps == null ? presetCfg : LCM.build(() -> presetCfg.withSteps(steps));
      List<Clip> clips = clips();
      try (NDManager root = NDManager.newBaseManager();
          ConsoleProgress bar = new ConsoleProgress("distill lcm", cfg.steps())) {
        TrainingListener listener =
            s -> bar.step(s.step() + 1, String.format(Locale.ROOT, "loss %.4f", s.loss()));
        var r =
            new LcmDistillation(cfg)
                .run(
                    loadTeacher(root),
                    clips,
                    new CheckpointedRun<>(
                        new LocalDirectoryStore(out), "lcm", resume, listener, StageControl.NONE));
        System.out.printf(
            Locale.ROOT,
            "%nlcm: %d steps, %.0f ms/step (median); sample it with --sampler renoise%n",
            r.summary().completedSteps(),
            r.medianMsPerStep());
      }
      return 0;
    }
  }
}
