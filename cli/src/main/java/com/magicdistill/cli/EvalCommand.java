package com.magicdistill.cli;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipKind;
import com.magicdistill.engine.data.DatasetReader;
import com.magicdistill.engine.data.MotionModel;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.eval.FeatureExtractor;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import com.magicdistill.engine.eval.MethodMetrics;
import com.magicdistill.engine.export.LoadedModel;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.ModelCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magic eval}: Frechet distances, VBench-style dimensions and speed of one sampler, on a
 * training checkpoint or an exported model package, through the evaluate stage's own entry point
 * (dynamic degree calibrated on the real held-out clips, paired motion ratio, 95% intervals;
 * docs/EVALUATION.md).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Sample from held-out first frames and compare with the real held-out clips"
            + " (docs/EVALUATION.md).")
final class EvalCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      description = "a training checkpoint phase folder, e.g. runs/t1/teacher (or give --model)")
  Path checkpoint;

  @Option(
      names = "--model",
      description =
          "an exported model package folder, e.g. runs/d1/export/w2s: sampled with its own"
              + " schedule.json (or give --checkpoint)")
  Path model;

  @Option(names = "--steps", defaultValue = "28", description = "with --checkpoint")
  int steps;

  @Option(names = "--shift", defaultValue = "3", description = "with --checkpoint")
  double shift;

  @Option(
      names = "--data",
      description = "held-out dataset folder (its kept portraits); default: synthetic portraits")
  Path data;

  @Option(names = "--held-out", defaultValue = "32", description = "number of held-out clips")
  int heldOut;

  @Option(
      names = "--held-out-seed",
      defaultValue = "9001",
      description = "seed of the synthetic held-out portraits (without --data)")
  long heldOutSeed;

  @Option(
      names = "--motion-model",
      defaultValue = "v1",
      description =
          "motion model of the synthetic held-out portraits (without --data): v1 (smoke, tiny) or"
              + " v2 (mid, paper)")
  String motionModel;

  @Option(
      names = "--sampler",
      defaultValue = "euler",
      description =
          "with --checkpoint: euler (teacher) or renoise (distilled 4-step generators, LCM)")
  String sampler;

  @Option(names = "--seed", defaultValue = "4242", description = "noise seed")
  long seed;

  @Option(
      names = "--features",
      defaultValue = "md-feat-v1",
      description = "feature extractor: md-feat-v1 or torchscript:<file>[:<size>]")
  String features;

  @Option(names = "--out", description = "write the metrics JSON here")
  Path out;

  @Spec CommandSpec spec;

  /** Flags of the sampling schedule. */
  static final FieldFlags SCHEDULE = FieldFlags.of("steps", "--steps", "shift", "--shift");

  @Override
  public Integer call() throws Exception {
    if ((checkpoint == null) == (model == null)) {
      throw new IllegalArgumentException(
          "give exactly one of --checkpoint (a training checkpoint) and --model (an exported"
              + " model package)");
    }
    if (model != null) {
      for (String flag : List.of("--steps", "--shift", "--sampler")) {
        if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
          throw new IllegalArgumentException(
              flag
                  + " applies to --checkpoint only: a model package is sampled with the sampler"
                  + " and sigmas of its schedule.json");
        }
      }
    }
    FeatureExtractor fx = FeatureExtractors.byName(features);
    try (NDManager root = NDManager.newBaseManager()) {
      Map<String, Object> json = new LinkedHashMap<>();
      VideoDiT net;
      SamplerKind kind;
      SigmaSchedule schedule;
      if (model != null) {
        LoadedModel loaded = ModelPackage.load(model, root);
        net = loaded.model();
        kind = loaded.sampler();
        schedule = loaded.schedule();
        json.put("model", model.toString());
        json.put("model_name", loaded.card().name());
      } else {
        CheckpointPath cp = CheckpointPath.of(checkpoint);
        schedule = SCHEDULE.build(() -> new SigmaSchedule(steps, shift));
        kind = SamplerKind.byId(sampler);
        net = ModelCheckpoints.loadEma(cp.store(), cp.prefix(), root);
        json.put("checkpoint", checkpoint.toString());
      }
      List<Clip> real = realClips(net.config().clip());
      HeldOutEvaluation evaluation = new HeldOutEvaluation(fx, real, seed);
      MethodMetrics m = evaluation.score("eval", kind, net, schedule).metrics();
      json.put("feature_extractor", fx.id());
      json.put("steps", schedule.steps());
      json.put("shift", schedule.shift());
      json.put("sampler", kind.id());
      json.put("seed", seed);
      json.put("held_out", data == null ? "synthetic, seed " + heldOutSeed : data.toString());
      json.put("held_out_clips", real.size());
      json.put("dynamic_degree_calibration", evaluation.calibration().toMap());
      json.putAll(m.toMap());
      String text = Json.PRETTY.writeValueAsString(json);
      System.out.println(text);
      if (out != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text);
      }
    }
    return 0;
  }

  private List<Clip> realClips(com.magicdistill.engine.data.ClipShape shape) throws Exception {
    if (heldOut < 2) {
      throw new IllegalArgumentException(
          "held-out must be >= 2 (got " + heldOut + "): Frechet distances need a set");
    }
    if (data == null) {
      MotionModel motion;
      try {
        motion = MotionModel.parse(motionModel);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--motion-model must be v1 or v2 (got " + motionModel + ")", e);
      }
      return IntStream.range(0, heldOut)
          .mapToObj(i -> SyntheticDataset.portrait(heldOutSeed, i, shape, motion).clip())
          .toList();
    }
    List<Clip> clips =
        DatasetReader.open(data).readKept(ClipKind.PORTRAIT).stream()
            .map(i -> i.clip().clip())
            .limit(heldOut)
            .toList();
    if (clips.size() < 2) {
      throw new IllegalArgumentException(
          "data: " + data + " has fewer than 2 kept portrait clips to evaluate against");
    }
    return clips;
  }
}
