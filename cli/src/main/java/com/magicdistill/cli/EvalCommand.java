package com.magicdistill.cli;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipKind;
import com.magicdistill.engine.data.DatasetReader;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.eval.Evaluation;
import com.magicdistill.engine.eval.FeatureExtractor;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.MethodMetrics;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.ClipGenerator;
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
import picocli.CommandLine.Option;

/** {@code magic eval}: Frechet distances, VBench-style dimensions and speed of one sampler. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Sample from held-out first frames and compare with the real held-out clips"
            + " (docs/EVALUATION.md).")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, description = "e.g. runs/t1/teacher")
  Path checkpoint;

  @Option(names = "--steps", defaultValue = "28")
  int steps;

  @Option(names = "--shift", defaultValue = "3")
  double shift;

  @Option(
      names = "--data",
      description = "held-out dataset folder (its kept portraits); default: synthetic portraits")
  Path data;

  @Option(names = "--held-out", defaultValue = "32", description = "number of held-out clips")
  int heldOut;

  @Option(names = "--held-out-seed", defaultValue = "9001")
  long heldOutSeed;

  @Option(
      names = "--sampler",
      defaultValue = "euler",
      description = "euler (teacher) or renoise (distilled 4-step generators, LCM)")
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

  /** Flags of the sampling schedule. */
  static final FieldFlags SCHEDULE = FieldFlags.of("steps", "--steps", "shift", "--shift");

  @Override
  public Integer call() throws Exception {
    CheckpointPath cp = CheckpointPath.of(checkpoint);
    SigmaSchedule schedule = SCHEDULE.build(() -> new SigmaSchedule(steps, shift));
    FeatureExtractor fx = FeatureExtractors.byName(features);
    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT model = ModelCheckpoints.loadEma(cp.store(), cp.prefix(), root);
      var shape = model.config().clip();
      List<Clip> real = realClips(shape);
      List<float[]> firsts = real.stream().map(c -> c.frame(0)).toList();
      var g =
          new ClipGenerator(shape, 16)
              .generate(
                  SamplerKind.byId(sampler).create(model, schedule, seed), firsts, seed, "eval");
      MethodMetrics m =
          Evaluation.evaluate(
              fx, g.clips(), real, firsts, g.modelCallsPerClip(), g.wallMsPerClip());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("checkpoint", checkpoint.toString());
      json.put("feature_extractor", fx.id());
      json.put("steps", steps);
      json.put("shift", shift);
      json.put("sampler", sampler);
      json.put("held_out_clips", real.size());
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
      return IntStream.range(0, heldOut)
          .mapToObj(i -> SyntheticDataset.portrait(heldOutSeed, i, shape).clip())
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
