package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.io.Crc32c;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.AdamW;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.Ema;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.engine.train.TrainingCheckpoint;
import com.magicdistill.storage.ForwardingObjectStore;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.storage.S3Settings;
import com.magicdistill.storage.S3Throughput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checkpoint writes against plain S3 puts of the same bytes, both to the same S3 server: a
 * paper-preset training checkpoint (weights, EMA and both AdamW moments of the fine-tune model)
 * saved with {@link CheckpointIO#saveAndMarkLatest}, i.e. safetensors encoding and CRC-32C streamed
 * into the tensor upload, with the manifest and the latest pointer put beside it once the CRC-32C
 * is known (the save ends when all three are complete); versus one MinIO {@code uploadObject} of
 * the encoded tensor file with the same part size, through one client kept open across repetitions
 * (as the store keeps its own). Each repetition runs both, alternating which goes first; {@link
 * #WARMUP_ROUNDS} unrecorded warm-up rounds of each go before. Also recorded per repetition: the
 * save's own parts (tensor upload, manifest, pointer), {@link ObjectStore#put} of the same bytes
 * from memory and the CRC-32C alone. MB are 2<sup>20</sup> bytes of the tensor file.
 */
final class CheckpointThroughput {
  private static final double MB = 1 << 20;

  /**
   * Unrecorded rounds of all three puts first: under load one round left the save's first
   * repetitions (its code paths here and in S3Proxy) visibly colder than the raw put's.
   */
  static final int WARMUP_ROUNDS = 3;

  /**
   * Pause before each timed put: S3Proxy is still busy with the previous 20 MB for a while, and
   * without it whichever put of a pair went first came out ~10% slower.
   */
  static final long SETTLE_MS = 250;

  /** Per-repetition numbers, in the order measured. */
  record Result(
      long tensorBytes,
      List<Double> checkpointMbPerS,
      List<Double> rawMbPerS,
      List<Double> storePutMbPerS,
      List<Double> checksumMs,
      List<Double> tensorPutMs,
      List<Double> manifestPutMs,
      List<Double> pointerPutMs,
      List<Boolean> saveWentFirst) {
    double checkpointMb() {
      return tensorBytes / MB;
    }
  }

  private CheckpointThroughput() {}

  static Result measure(ObjectStore store, S3Settings s3, Path scratch, int repetitions)
      throws IOException {
    EnginePreset paper = EnginePreset.paper();
    TrainConfig train = paper.finetune();
    PutTimes times = new PutTimes(store);
    try (NDManager root = NDManager.newBaseManager();
        S3Throughput raw = new S3Throughput(s3)) {
      VideoDiT model = VideoDiT.freshBase(paper.model(), train.seed(), root);
      AdamW adam = AdamW.of(model, train, root);
      Ema ema = new Ema(model, train.emaDecay(), root);
      try (TrainingCheckpoint cp =
          // what a trainer saves: its live state, no copy (TrainingCheckpoint.viewOf)
          TrainingCheckpoint.viewOf(
              model, adam, ema, train.steps(), train.seed(), train.toJson(), root)) {
        String run = "bench/checkpoint-throughput";
        CheckpointIO.Manifest first = save(times, run, 0, cp);
        Path file = scratch.resolve("checkpoint-" + CheckpointIO.TENSORS);
        Files.createDirectories(scratch);
        byte[] bytes = store.get(ObjectStore.join(run, "step-00000000", CheckpointIO.TENSORS));
        Files.write(file, bytes);
        for (int w = 1; w <= WARMUP_ROUNDS; w++) {
          String k = String.format(Locale.ROOT, "-warmup-%d/", w);
          save(times, run + "/save" + k.substring(0, k.length() - 1), 0, cp);
          raw.rawPutNanos(run + "/raw" + k + CheckpointIO.TENSORS, file);
          store.put(run + "/put" + k + CheckpointIO.TENSORS, bytes);
        }
        List<Double> checkpoint = new ArrayList<>();
        List<Double> rawMbs = new ArrayList<>();
        List<Double> put = new ArrayList<>();
        List<Double> checksum = new ArrayList<>();
        List<Double> tensorMs = new ArrayList<>();
        List<Double> manifestMs = new ArrayList<>();
        List<Double> pointerMs = new ArrayList<>();
        List<Boolean> saveFirst = new ArrayList<>();
        for (int i = 1; i <= repetitions; i++) {
          // alternate the order: whatever the first put of a pair leaves behind (page cache,
          // S3Proxy's garbage, a warm connection) falls on both sides equally
          boolean saveGoesFirst = i % 2 == 1;
          saveFirst.add(saveGoesFirst);
          String rawKey =
              String.format(Locale.ROOT, "%s/raw-%02d/%s", run, i, CheckpointIO.TENSORS);
          long rawNanos = 0;
          if (!saveGoesFirst) {
            settle();
            rawNanos = raw.rawPutNanos(rawKey, file);
          }
          times.clear();
          settle();
          long t0 = System.nanoTime();
          save(times, run, i, cp);
          checkpoint.add(mbPerS(first.tensorBytes(), System.nanoTime() - t0));
          tensorMs.add(times.ms(CheckpointIO.TENSORS));
          manifestMs.add(times.ms(CheckpointIO.MANIFEST));
          pointerMs.add(times.ms(CheckpointIO.LATEST));
          if (saveGoesFirst) {
            settle();
            rawNanos = raw.rawPutNanos(rawKey, file);
          }
          rawMbs.add(mbPerS(bytes.length, rawNanos));
          String key = String.format(Locale.ROOT, "%s/put-%02d/%s", run, i, CheckpointIO.TENSORS);
          settle();
          long t1 = System.nanoTime();
          store.put(key, bytes);
          put.add(mbPerS(bytes.length, System.nanoTime() - t1));
          long t2 = System.nanoTime();
          Crc32c.of(bytes);
          checksum.add((System.nanoTime() - t2) / 1e6);
        }
        return new Result(
            first.tensorBytes(),
            checkpoint,
            rawMbs,
            put,
            checksum,
            tensorMs,
            manifestMs,
            pointerMs,
            saveFirst);
      }
    }
  }

  private static CheckpointIO.Manifest save(
      ObjectStore store, String run, int index, TrainingCheckpoint cp) throws IOException {
    String prefix = ObjectStore.join(run, String.format(Locale.ROOT, "step-%08d", index));
    return CheckpointIO.saveAndMarkLatest(store, run, prefix, cp);
  }

  private static void settle() throws IOException {
    try {
      Thread.sleep(SETTLE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("checkpoint benchmark interrupted");
    }
  }

  private static double mbPerS(long bytes, long nanos) {
    return (bytes / MB) / (Math.max(nanos, 1) / 1e9);
  }

  /**
   * Times each put by the last segment of its key (tensor file, manifest, pointer); a put still
   * running on another thread counts from its start to its end.
   */
  private static final class PutTimes extends ForwardingObjectStore {
    private final java.util.Map<String, Double> ms = new java.util.concurrent.ConcurrentHashMap<>();

    PutTimes(ObjectStore delegate) {
      super(delegate);
    }

    void clear() {
      ms.clear();
    }

    double ms(String name) {
      return ms.getOrDefault(name, Double.NaN);
    }

    private void record(String key, long t0) {
      ms.put(key.substring(key.lastIndexOf('/') + 1), (System.nanoTime() - t0) / 1e6);
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
      long t0 = System.nanoTime();
      super.put(key, data);
      record(key, t0);
    }

    @Override
    public void put(String key, InputStream in, long size) throws IOException {
      long t0 = System.nanoTime();
      super.put(key, in, size);
      record(key, t0);
    }
  }
}
