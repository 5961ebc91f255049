package com.magicdistill.bench;

import com.magicdistill.engine.io.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper table's training seeds that are already trained, kept under {@code
 * <work>/training-seeds/}: {@code seed-<k>.json} says that seed {@code k}'s LCM and stages are
 * finished in the work folder, under which settings, by which process and how fast. So seeds can be
 * trained by separate processes ({@code --train-seed}) and a run scores what is there. {@code
 * seed-<k>.lock} keeps two processes from training the same seed at once: a process that finds it
 * held waits for the other to finish.
 */
final class TrainedSeeds {
  private static final Logger LOG = LoggerFactory.getLogger(TrainedSeeds.class);
  static final String FOLDER = "training-seeds";

  private final Path dir;
  private final SettingsRecord settings;

  /**
   * @param settings everything that changes what a seed trains (preset, teacher, switches)
   */
  TrainedSeeds(Path workDir, Map<String, Object> settings) {
    this.dir = workDir.resolve(FOLDER);
    this.settings = new SettingsRecord(settings);
  }

  /** Holds seed {@code k} for this process until closed; waits while another process holds it. */
  java.io.Closeable lock(int k) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("seed-" + k + ".lock");
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        LOG.info("training seed {} is being trained by another process ({}); waiting", k, file);
        lock = channel.lock();
        LOG.info("training seed {}: the other process is done", k);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    // Closing the channel releases the lock.
    return channel;
  }

  /**
   * Seed {@code k}'s record if it was trained under the same settings, else null.
   *
   * @throws IllegalArgumentException when the work folder holds seed {@code k} trained under other
   *     settings (its checkpoints would be mixed with this run's)
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> load(int k) throws IOException {
    Path f = dir.resolve("seed-" + k + ".json");
    if (!Files.exists(f)) {
      return null;
    }
    Map<String, Object> saved = Json.MAPPER.readValue(f.toFile(), Map.class);
    List<String> differ = settings.differences(SettingsRecord.recordedIn(saved));
    if (!differ.isEmpty()) {
      throw new IllegalArgumentException(
          "--work "
              + dir.getParent()
              + " holds training seed "
              + k
              + " trained with other settings ("
              + String.join(", ", differ)
              + "): give another --work, or the options of "
              + f);
    }
    LOG.info("training seed {} is trained already ({})", k, f);
    return (Map<String, Object>) saved.get("seed");
  }

  /** Records seed {@code k} as trained. */
  void save(int k, Map<String, Object> seed) throws IOException {
    settings.write(dir.resolve("seed-" + k + ".json"), "seed", seed);
  }
}
