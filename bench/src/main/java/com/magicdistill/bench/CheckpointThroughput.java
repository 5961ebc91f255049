package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.AdamW;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.Ema;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.engine.train.TrainingCheckpoint;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.storage.S3Settings;
import com.magicdistill.storage.S3Throughput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checkpoint writes against plain S3 puts of the same bytes: a paper-preset training checkpoint
 * (weights, EMA and both AdamW moments of the fine-tune model) saved with {@link CheckpointIO#save}
 * plus {@link CheckpointIO#markLatest}, i.e. safetensors encoding, sha256, tensors, manifest and
 * the latest pointer; versus one MinIO {@code uploadObject} of the encoded tensor file ({@link
 * S3Throughput#rawPutMbPerSecond}); and, to split the difference, {@link ObjectStore#put} of the
 * same bytes and the sha256 alone. Repetitions interleave the three puts; one unrecorded warm-up
 * round goes first. MB are 2<sup>20</sup> bytes of the tensor file.
 */
final class CheckpointThroughput {
  private static final double MB = 1 << 20;

  /** Per-repetition numbers, in the order measured. */
  record Result(
      long tensorBytes,
      List<Double> checkpointMbPerS,
      List<Double> rawMbPerS,
      List<Double> storePutMbPerS,
      List<Double> sha256Ms) {
    double checkpointMb() {
      return tensorBytes / MB;
    }
  }

  private CheckpointThroughput() {}

  static Result measure(ObjectStore store, S3Settings s3, Path scratch, int repetitions)
      throws IOException {
    EnginePreset paper = EnginePreset.paper();
    TrainConfig train = paper.finetune();
    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT model = VideoDiT.freshBase(paper.model(), train.seed(), root);
      AdamW adam = AdamW.of(model, train, root);
      Ema ema = new Ema(model, train.emaDecay(), root);
      try (TrainingCheckpoint cp =
          TrainingCheckpoint.capture(
              model, adam, ema, train.steps(), train.seed(), train.toJson(), root)) {
        String run = "bench/checkpoint-throughput";
        CheckpointIO.Manifest first = save(store, run, 0, cp);
        Path file = scratch.resolve("checkpoint-" + CheckpointIO.TENSORS);
        Files.createDirectories(scratch);
        byte[] bytes = store.get(ObjectStore.join(run, "step-00000000", CheckpointIO.TENSORS));
        Files.write(file, bytes);
        S3Throughput.rawPutMbPerSecond(s3, run + "/raw-warmup/" + CheckpointIO.TENSORS, file);
        S3Throughput.putMbPerSecond(store, run + "/put-warmup/" + CheckpointIO.TENSORS, file);
        List<Double> checkpoint = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> put = new ArrayList<>();
        List<Double> sha = new ArrayList<>();
        for (int i = 1; i <= repetitions; i++) {
          long t0 = System.nanoTime();
          save(store, run, i, cp);
          checkpoint.add(mbPerS(first.tensorBytes(), System.nanoTime() - t0));
          String key = String.format(Locale.ROOT, "%s/raw-%02d/%s", run, i, CheckpointIO.TENSORS);
          raw.add(S3Throughput.rawPutMbPerSecond(s3, key, file));
          key = String.format(Locale.ROOT, "%s/put-%02d/%s", run, i, CheckpointIO.TENSORS);
          long t1 = System.nanoTime();
          store.put(key, bytes);
          put.add(mbPerS(bytes.length, System.nanoTime() - t1));
          long t2 = System.nanoTime();
          Sha256.of(bytes);
          sha.add((System.nanoTime() - t2) / 1e6);
        }
        return new Result(first.tensorBytes(), checkpoint, raw, put, sha);
      }
    }
  }

  private static CheckpointIO.Manifest save(
      ObjectStore store, String run, int index, TrainingCheckpoint cp) throws IOException {
    String prefix = ObjectStore.join(run, String.format(Locale.ROOT, "step-%08d", index));
    CheckpointIO.Manifest m = CheckpointIO.save(store, prefix, cp);
    CheckpointIO.markLatest(store, run, prefix);
    return m;
  }

  private static double mbPerS(long bytes, long nanos) {
    return (bytes / MB) / (Math.max(nanos, 1) / 1e9);
  }
}
