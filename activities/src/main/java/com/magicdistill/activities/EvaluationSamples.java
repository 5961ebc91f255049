package com.magicdistill.activities;

import com.magicdistill.db.ArtifactRepository;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.video.ClipImages;
import com.magicdistill.engine.video.ContactSheet;
import com.magicdistill.engine.video.GifWriter;
import com.magicdistill.engine.video.Mp4Writer;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.EvaluatedMethod;
import com.magicdistill.workflows.SampleFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluate stage's sample clips, laid out as {@link SampleFiles} says: each method's first
 * clips as MP4 (H.264 Baseline, what browsers play) and GIF (the fallback), their conditioning
 * frames, and a contact sheet with the real clips and every method side by side. Each file is
 * uploaded and recorded as a {@code samples} artifact.
 */
final class EvaluationSamples {
  /** Upscale of the 32x32 clips in the MP4s, GIFs and first frames (as {@code magic sample}). */
  static final int SCALE = 4;

  static final int FPS = 8;
  private static final int CONTACT_SCALE = 2;

  private final ObjectStore store;
  private final ArtifactRepository artifacts;
  private final String runId;
  private final String stage;

  EvaluationSamples(ObjectStore store, ArtifactRepository artifacts, String runId, String stage) {
    this.store = store;
    this.artifacts = artifacts;
    this.runId = runId;
    this.stage = stage;
  }

  /**
   * Writes the first {@code clips} clips of each method under {@code files}' prefix (staged in
   * {@code localDir}); returns the report's {@code samples} section: every key written (no contact
   * sheet when {@code clips} is 0).
   *
   * @param real the held-out clips whose first frames conditioned every method
   */
  Map<String, Object> write(
      SampleFiles files,
      Path localDir,
      List<Clip> real,
      Map<EvaluatedMethod, List<Clip>> byMethod,
      int clips)
      throws IOException {
    List<String> firstFrames = new ArrayList<>();
    for (int i = 0; i < clips; i++) {
      String key = files.firstFrame(i);
      ClipImages.writePng(real.get(i), 0, SCALE, local(files, localDir, key));
      firstFrames.add(upload(files, localDir, key));
    }
    Map<String, Object> methods = new LinkedHashMap<>();
    Map<String, List<Clip>> sheet = new LinkedHashMap<>();
    for (var e : byMethod.entrySet()) {
      List<String> mp4 = new ArrayList<>();
      List<String> gif = new ArrayList<>();
      for (int i = 0; i < clips; i++) {
        Clip clip = e.getValue().get(i);
        String m = files.mp4(e.getKey(), i);
        Mp4Writer.write(clip, local(files, localDir, m), SCALE, FPS);
        mp4.add(upload(files, localDir, m));
        String g = files.gif(e.getKey(), i);
        GifWriter.write(clip, local(files, localDir, g), SCALE, 1000 / FPS);
        gif.add(upload(files, localDir, g));
      }
      methods.put(e.getKey().key(), Map.of("mp4", mp4, "gif", gif));
      sheet.put(e.getKey().key(), e.getValue());
    }
    String contact = null;
    if (clips > 0) {
      contact = files.contactSheet();
      ContactSheet.writeComparison(
          real, sheet, clips, CONTACT_SCALE, local(files, localDir, contact));
      upload(files, localDir, contact);
    }
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("prefix", files.prefix());
    section.put("clips", clips);
    section.put("fps", FPS);
    section.put("contact_sheet", contact);
    section.put("first_frames", firstFrames);
    section.put("methods", methods);
    return section;
  }

  private static Path local(SampleFiles files, Path localDir, String key) {
    return localDir.resolve(files.relative(key));
  }

  private String upload(SampleFiles files, Path localDir, String key) throws IOException {
    byte[] bytes = Files.readAllBytes(local(files, localDir, key));
    store.put(key, bytes);
    artifacts.recordArtifact(runId, stage, "samples", key, Sha256.of(bytes), bytes.length);
    return key;
  }
}
