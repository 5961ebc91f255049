package com.magicdistill.cli;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.data.ImageFrames;
import com.magicdistill.engine.export.LoadedModel;
import com.magicdistill.engine.export.ModelCard;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.sample.ClipGenerator;
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

/**
 * {@code magic generate}: image-to-video from an exported model package alone (weights, config and
 * sampler schedule all come from the package; see docs/MODEL_PACKAGE.md). GIF, MP4 and a contact
 * sheet.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Generate clips with an exported model package (verified by sha256, sampled with the"
            + " package's own schedule).")
final class GenerateCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      description = "model package folder (holds SHA256SUMS, weights.safetensors, ...)")
  Path model;

  @Option(
      names = "--image",
      required = true,
      description = "conditioning image(s), PNG or JPEG; repeat for several")
  List<Path> images = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "4242", description = "noise seed")
  long seed;

  @Option(names = "--out", defaultValue = "out/generate", description = "output folder")
  Path out;

  @Option(
      names = "--dump-noise",
      description =
          "also write the starting noise, the re-noising draws, the first frames, the raw output"
              + " and the clips to this safetensors file (for python/reference_sampler.py)")
  Path dumpNoise;

  @Override
  public Integer call() throws Exception {
    try (NDManager root = NDManager.newBaseManager()) {
      LoadedModel loaded = ModelPackage.load(model, root);
      ClipShape shape = loaded.model().config().clip();
      List<float[]> frames = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Path image : images) {
        frames.add(ImageFrames.read(image, shape));
        names.add(image.getFileName().toString().replaceAll("\\.[^.]+$", ""));
      }
      NoiseDump dump = dumpNoise == null ? null : new NoiseDump();
      var generated =
          new ClipGenerator(shape, 8)
              .generate(
                  loaded.sampler().create(loaded.model(), loaded.schedule(), seed),
                  frames,
                  seed,
                  "generate",
                  dump);
      Files.createDirectories(out);
      List<Clip> clips = generated.clips();
      for (int i = 0; i < clips.size(); i++) {
        GifWriter.write(clips.get(i), out.resolve(names.get(i) + ".gif"), 4, 125);
        Mp4Writer.write(clips.get(i), out.resolve(names.get(i) + ".mp4"), 4, 8);
      }
      ContactSheet.write(clips, names, 2, out.resolve("contact-sheet.png"));
      if (dump != null) {
        dump.write(dumpNoise, shape, loaded.sampler(), loaded.schedule(), seed, clips);
        System.out.println("wrote noise, first frames and outputs to " + dumpNoise);
      }
      ModelCard card = loaded.card();
      System.out.printf(
          Locale.ROOT,
          "model %s (%s, run %s), %d-step %s sampler, shift %s: wrote %d clips (GIF, MP4) and"
              + " contact-sheet.png to %s: %d model calls and %.0f ms per clip%n",
          card.name(),
          card.method() == null ? "-" : card.method(),
          card.runId(),
          loaded.schedule().steps(),
          loaded.sampler().id(),
          loaded.schedule().shift(),
          clips.size(),
          out,
          generated.modelCallsPerClip(),
          generated.wallMsPerClip());
    }
    return 0;
  }
}
