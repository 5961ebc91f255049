package com.magicdistill.cli;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.data.ImageFrames;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.video.ContactSheet;
import com.magicdistill.engine.video.GifWriter;
import com.magicdistill.engine.video.Mp4Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic sample}: image-to-video with the Euler sampler; GIF, MP4 and a contact sheet. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = "Generate clips from conditioning images with the Euler sampler.")
final class SampleCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, description = "e.g. runs/t1/teacher")
  Path checkpoint;

  @Option(names = "--image", description = "conditioning image(s), PNG or JPEG")
  List<Path> images = new ArrayList<>();

  @Option(
      names = "--synthetic",
      defaultValue = "0",
      description = "also condition on N held-out synthetic portraits (seed --seed)")
  int synthetic;

  @Option(names = "--steps", defaultValue = "28", description = "Euler steps")
  int steps;

  @Option(names = "--shift", defaultValue = "3", description = "sigma schedule shift")
  double shift;

  @Option(
      names = "--sampler",
      defaultValue = "euler",
      description = "euler (teacher) or renoise (distilled 4-step generators, LCM)")
  String sampler;

  @Option(names = "--seed", defaultValue = "4242", description = "noise seed")
  long seed;

  @Option(names = "--out", defaultValue = "out/samples", description = "output folder")
  Path out;

  /** Flags of the sampling schedule. */
  static final FieldFlags SCHEDULE = FieldFlags.of("steps", "--steps", "shift", "--shift");

  @Override
  public Integer call() throws Exception {
    if (images.isEmpty() && synthetic <= 0) {
      throw new IllegalArgumentException(
          "image: nothing to condition on; pass --image face.png or --synthetic 4");
    }
    CheckpointPath cp = CheckpointPath.of(checkpoint);
    SigmaSchedule schedule = SCHEDULE.build(() -> new SigmaSchedule(steps, shift));
    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT model = ModelCheckpoints.loadEma(cp.store(), cp.prefix(), root);
      ClipShape shape = model.config().clip();
      List<float[]> frames = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Path image : images) {
        frames.add(ImageFrames.read(image, shape));
        names.add(image.getFileName().toString().replaceAll("\\.[^.]+$", ""));
      }
      for (int i = 0; i < synthetic; i++) {
        frames.add(SyntheticDataset.portrait(seed, i, shape).clip().frame(0));
        names.add("synthetic-" + i);
      }
      var generated =
          new ClipGenerator(shape, 8)
              .generate(
                  SamplerKind.byId(sampler).create(model, schedule, seed), frames, seed, "sample");
      Files.createDirectories(out);
      List<Clip> clips = generated.clips();
      for (int i = 0; i < clips.size(); i++) {
        GifWriter.write(clips.get(i), out.resolve(names.get(i) + ".gif"), 4, 125);
        Mp4Writer.write(clips.get(i), out.resolve(names.get(i) + ".mp4"), 4, 8);
      }
      ContactSheet.write(clips, names, 2, out.resolve("contact-sheet.png"));
      System.out.printf(
          Locale.ROOT,
          "wrote %d clips (GIF, MP4) and contact-sheet.png to %s: %d model calls and %.0f ms"
              + " per clip%n",
          clips.size(),
          out,
          generated.modelCallsPerClip(),
          generated.wallMsPerClip());
    }
    return 0;
  }
}
