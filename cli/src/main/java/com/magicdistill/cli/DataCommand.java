package com.magicdistill.cli;

import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.data.ClipKind;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.data.DataSets;
import com.magicdistill.engine.data.DatasetWriter;
import com.magicdistill.engine.data.FilterReport;
import com.magicdistill.engine.data.IngestOptions;
import com.magicdistill.engine.data.IngestReport;
import com.magicdistill.engine.data.LabeledClip;
import com.magicdistill.engine.data.QualityFilter;
import com.magicdistill.engine.data.SynthSpec;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.data.VideoIngest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code magic data synth|ingest}: make or import datasets in the shard format. */
@Command(
    name = "data",
    description = "Create datasets: synthetic talking portraits, or real videos.",
    subcommands = {DataCommand.Synth.class, DataCommand.Ingest.class})
final class DataCommand {

  @Command(
      name = "synth",
      mixinStandardHelpOptions = true,
      description = "Render the seeded synthetic dataset, filter it, write shards + manifest.")
  static final class Synth implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(
        names = "--preset",
        defaultValue = "smoke",
        description =
            "size preset: tiny, smoke, mid, paper or paper-v2 (default ${DEFAULT-VALUE}); mid and"
                + " paper-v2 render motion model v2")
    String preset;

    @Option(names = "--seed", description = "override the preset's seed")
    Long seed;

    @Option(names = "--portraits", description = "override the number of clean portraits")
    Integer portraits;

    @Option(names = "--general", description = "override the number of general clips")
    Integer general;

    @Option(names = "--poor-per-defect", description = "override the number of poor clips")
    Integer poor;

    @Option(names = "--clips-per-shard", defaultValue = "256")
    int clipsPerShard;

    @Override
    public Integer call() throws Exception {
      SynthSpec p = EnginePreset.byName(preset).data();
      SynthSpec spec =
          new SynthSpec(
              seed != null ? seed : p.seed(),
              p.shape(),
              portraits != null ? portraits : p.portraits(),
              general != null ? general : p.general(),
              poor != null ? poor : p.poorPerDefect(),
              p.motionModel());
      List<LabeledClip> clips = SyntheticDataset.generate(spec);
      FilterReport report = DataSets.filterPortraits(clips);
      DatasetWriter.write(out, spec.shape(), clipsPerShard, clips, report);
      var pr = report.precisionRecall(DataSets.portraits(clips));
      System.out.printf(
          "wrote %d clips to %s (%d portraits kept by the quality filter; rejecting poor clips:"
              + " precision %.3f, recall %.3f)%n",
          clips.size(), out, report.keptCount(), pr.precision(), pr.recall());
      return 0;
    }
  }

  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description =
          "Cut real videos (MP4/H.264, PNG frame folders) into clips, filter, write shards.")
  static final class Ingest implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "video files or PNG frame folders")
    List<Path> inputs;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--frames", defaultValue = "16")
    int frames;

    @Option(names = "--size", defaultValue = "32", description = "square frame side in pixels")
    int size;

    @Option(names = "--stride", description = "frames between clip starts (default: --frames)")
    Integer stride;

    @Option(names = "--frame-step", defaultValue = "1", description = "keep every n-th frame")
    int frameStep;

    @Option(names = "--clips-per-shard", defaultValue = "256")
    int clipsPerShard;

    @Override
    public Integer call() throws Exception {
      ClipShape shape = new ClipShape(frames, size, size);
      var options =
          new IngestOptions(shape, stride != null ? stride : frames, frameStep, ClipKind.PORTRAIT);
      IngestReport report =
          new VideoIngest(options).ingestTo(inputs, out, clipsPerShard, new QualityFilter());
      for (var ok : report.ingested()) {
        System.out.printf(
            "ingested %s: %d frames -> %d clips%n", ok.path(), ok.frames(), ok.clips());
      }
      for (var skip : report.skipped()) {
        System.out.printf("SKIPPED %s: %s%n", skip.path(), skip.reason());
      }
      System.out.printf(
          "wrote %d clips to %s; %d input(s) skipped%n",
          report.totalClips(), out, report.skipped().size());
      return report.ingested().isEmpty() ? 1 : 0;
    }
  }
}
