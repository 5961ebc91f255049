package com.magicdistill.engine.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.AWTUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns real videos into clips: MP4/MOV (H.264) files decoded with JCodec, and folders of PNG
 * frames (sorted by file name). Each kept frame is centre-cropped to the clip aspect ratio and
 * area-resized to the clip size; the frame sequence is cut into clips of {@code shape.frames()}
 * frames every {@code stride} frames. An input that cannot be read is skipped with a reason naming
 * the file; the other inputs are still ingested.
 */
public final class VideoIngest {
  private static final Logger LOG = LoggerFactory.getLogger(VideoIngest.class);
  private static final List<String> VIDEO_SUFFIXES = List.of(".mp4", ".m4v", ".mov");

  private final IngestOptions options;

  public VideoIngest(IngestOptions options) {
    this.options = options;
  }

  /** Ingests every input (video file or PNG frame folder) in order. */
  public IngestResult ingest(List<Path> inputs) {
    List<LabeledClip> clips = new ArrayList<>();
    List<IngestReport.Ingested> ingested = new ArrayList<>();
    List<IngestReport.Skipped> skipped = new ArrayList<>();
    for (Path input : inputs) {
      try {
        List<float[]> frames = readFrames(input);
        int decoded = frames.size();
        List<LabeledClip> cut = cut(input, frames);
        if (cut.isEmpty()) {
          int needed = (options.shape().frames() - 1) * options.frameStep() + 1;
          throw new IOException(
              input
                  + ": too short, "
                  + decoded
                  + " frames kept, a clip needs "
                  + needed
                  + " source frames");
        }
        clips.addAll(cut);
        ingested.add(new IngestReport.Ingested(input.toString(), decoded, cut.size()));
      } catch (Exception | LinkageError e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!reason.contains(input.getFileName().toString())) {
          reason = input + ": " + reason;
        }
        LOG.warn("skipping {}", reason);
        skipped.add(new IngestReport.Skipped(input.toString(), reason));
      }
    }
    return new IngestResult(clips, new IngestReport(ingested, skipped));
  }

  /**
   * Ingests, optionally filters, and writes a dataset to {@code outDir}; returns the report.
   * Verdicts are stored in the manifest when {@code filter} is not null.
   */
  public IngestReport ingestTo(
      List<Path> inputs, Path outDir, int clipsPerShard, QualityFilter filter) throws IOException {
    IngestResult result = ingest(inputs);
    FilterReport verdicts = filter == null ? null : filter.filter(result.clips());
    DatasetWriter.write(outDir, options.shape(), clipsPerShard, result.clips(), verdicts);
    return result.report();
  }

  /** Decoded, subsampled and resized frames (H*W*3 floats each) of a video file or PNG folder. */
  List<float[]> readFrames(Path input) throws IOException {
    if (Files.isDirectory(input)) {
      return readPngFolder(input);
    }
    if (!Files.isRegularFile(input)) {
      throw new IOException(input + ": no such file or folder");
    }
    String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
    if (VIDEO_SUFFIXES.stream().noneMatch(name::endsWith)) {
      throw new IOException(
          input
              + ": unsupported input, expected "
              + VIDEO_SUFFIXES
              + " or a folder of .png frames");
    }
    return readVideo(input);
  }

  private List<float[]> readVideo(Path file) throws IOException {
    List<float[]> frames = new ArrayList<>();
    try (FileChannelWrapper ch = NIOUtils.readableChannel(file.toFile())) {
      FrameGrab grab;
      try {
        grab = FrameGrab.createFrameGrab(ch);
      } catch (Exception e) {
        throw new IOException(file + ": not a readable video (" + e + ")", e);
      }
      int index = 0;
      while (true) {
        Picture picture;
        try {
          picture = grab.getNativeFrame();
        } catch (Exception e) {
          throw new IOException(file + ": decoding failed at frame " + index + " (" + e + ")", e);
        }
        if (picture == null) {
          break;
        }
        if (index % options.frameStep() == 0) {
          frames.add(resize(AWTUtil.toBufferedImage(picture)));
        }
        index++;
      }
      if (index == 0) {
        throw new IOException(file + ": no video frames decoded");
      }
    }
    return frames;
  }

  private List<float[]> readPngFolder(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files =
          s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
              .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
              .toList();
    }
    if (files.isEmpty()) {
      throw new IOException(folder + ": folder holds no .png frames");
    }
    List<float[]> frames = new ArrayList<>();
    for (int i = 0; i < files.size(); i += options.frameStep()) {
      Path f = files.get(i);
      BufferedImage img;
      try {
        img = ImageIO.read(f.toFile());
      } catch (IOException e) {
        throw new IOException(f + ": unreadable PNG frame (" + e.getMessage() + ")", e);
      }
      if (img == null) {
        throw new IOException(f + ": not a readable PNG frame");
      }
      frames.add(resize(img));
    }
    return frames;
  }

  private float[] resize(BufferedImage img) {
    ClipShape s = options.shape();
    float[] out = new float[s.height() * s.width() * ClipShape.CHANNELS];
    AreaResize.centerCropResize(img, s.width(), s.height(), out, 0);
    return out;
  }

  private List<LabeledClip> cut(Path input, List<float[]> frames) {
    ClipShape s = options.shape();
    int t = s.frames();
    int n = s.height() * s.width() * ClipShape.CHANNELS;
    List<LabeledClip> out = new ArrayList<>();
    String name = input.getFileName().toString();
    for (int start = 0; start + t <= frames.size(); start += options.stride()) {
      float[] rgb = new float[s.size()];
      for (int i = 0; i < t; i++) {
        System.arraycopy(frames.get(start + i), 0, rgb, i * n, n);
      }
      int firstSource = start * options.frameStep();
      String id = String.format(Locale.ROOT, "%s@%05d", name, firstSource);
      out.add(
          new LabeledClip(
              new Clip(id, s, rgb),
              options.kind(),
              Defect.NONE,
              ClipSource.file(input.toString(), firstSource, options.frameStep(), t)));
    }
    return out;
  }
}
