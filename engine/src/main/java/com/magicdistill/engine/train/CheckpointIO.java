package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.io.Crc32c;
import com.magicdistill.engine.io.DaemonThreads;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.SafetensorsStream;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.storage.ObjectNotFoundException;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@link TrainingCheckpoint}s in an {@link ObjectStore}.
 *
 * <p>Layout under {@code prefix}: {@code tensors.safetensors} (all arrays, named {@code model.},
 * {@code ema.}, {@code adam_m.}, {@code adam_v.} + parameter path) then {@code checkpoint.json}
 * (step, seed, adam step, config, tensor names, CRC-32C of the tensor file). A checkpoint is valid
 * when its manifest and its tensor file both exist and the checksum matches, which {@link #load}
 * verifies; a manifest alone proves nothing (it goes up while its tensor file still uploads).
 * Checkpoints of format {@value #FORMAT_SHA256} (a sha256 instead of the CRC-32C) still load.
 */
public final class CheckpointIO {
  public static final String TENSORS = "tensors.safetensors";
  public static final String MANIFEST = "checkpoint.json";
  public static final String FORMAT = "magicdistill-checkpoint/2";

  /** The earlier format: the same files, the tensor file's sha256 in place of its CRC-32C. */
  public static final String FORMAT_SHA256 = "magicdistill-checkpoint/1";

  public static final String LATEST = "latest";

  static final String MODEL = "model.";
  static final String EMA = "ema.";
  static final String ADAM_M = "adam_m.";
  static final String ADAM_V = "adam_v.";

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointIO.class);

  private CheckpointIO() {}

  /**
   * The manifest {@code checkpoint.json}; {@code crc32c} ({@link #FORMAT}) or {@code sha256}
   * ({@link #FORMAT_SHA256}) is the tensor file's checksum, the other null.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Manifest(
      String format,
      long step,
      long seed,
      long adamStep,
      JsonNode config,
      String tensorFile,
      String crc32c,
      String sha256,
      long tensorBytes,
      List<String> tensors) {

    /** The checksum as {@code <algorithm>:<hex>}, e.g. {@code crc32c:1a2b3c4d}. */
    public String checksum() {
      return crc32c != null ? "crc32c:" + crc32c : "sha256:" + sha256;
    }

    /** The checksum of {@code tensorFileBytes} by this manifest's algorithm, same form. */
    String checksumOf(byte[] tensorFileBytes) {
      return crc32c != null
          ? "crc32c:" + Crc32c.of(tensorFileBytes)
          : "sha256:" + Sha256.of(tensorFileBytes);
    }
  }

  /**
   * Writes {@code checkpoint} under {@code prefix}; returns the manifest. The tensor file is
   * encoded while it uploads, straight from the arrays' memory, and checksummed alongside on
   * another thread ({@link SafetensorsStream}): no copy of the file or of an array is made first.
   * The manifest goes up as soon as the checksum is known, while the tensor file is still
   * uploading; this returns once both are complete.
   */
  public static Manifest save(ObjectStore store, String prefix, TrainingCheckpoint checkpoint)
      throws IOException {
    return write(store, null, prefix, checkpoint);
  }

  /**
   * {@link #save}, and the checkpoint under {@code prefix} becomes the newest of the run under
   * {@code runPrefix} ({@link #markLatest}); returns its manifest.
   *
   * <p>Three puts at once: the tensor file on this thread, and, as soon as the CRC-32C of the file
   * is known (the checksum runs ahead of the upload), the manifest and the pointer on two others,
   * so the two small requests hide behind the big one instead of following it. This returns only
   * when all three are complete. A checkpoint therefore counts only when its manifest, its tensor
   * file and the checksum agree, never because a pointer or a manifest exists: every reader checks
   * ({@link #load} verifies the checksum, a resume skips what does not load for the checkpoint
   * before it), so a save cut short at any point leaves the previous checkpoint the one a resume
   * finds.
   */
  public static Manifest saveAndMarkLatest(
      ObjectStore store, String runPrefix, String prefix, TrainingCheckpoint checkpoint)
      throws IOException {
    return write(store, runPrefix, prefix, checkpoint);
  }

  /** Tensor file, manifest and (for a non-null {@code runPrefix}) pointer, as described above. */
  private static Manifest write(
      ObjectStore store, String runPrefix, String prefix, TrainingCheckpoint checkpoint)
      throws IOException {
    List<SafetensorsStream.Named> arrays = new ArrayList<>();
    List<String> names = new ArrayList<>();
    addAll(arrays, names, MODEL, checkpoint.weights());
    addAll(arrays, names, EMA, checkpoint.ema());
    addAll(arrays, names, ADAM_M, checkpoint.adamM());
    addAll(arrays, names, ADAM_V, checkpoint.adamV());
    JsonNode config;
    try {
      config = JSON.readTree(checkpoint.configJson());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "checkpoint config is not valid JSON: " + e.getMessage(), e);
    }
    try (SafetensorsStream tensors = new SafetensorsStream(arrays)) {
      long bytes = tensors.size();
      CompletableFuture<Manifest> manifest =
          tensors
              .crc32cAhead()
              .thenApply(
                  crc ->
                      new Manifest(
                          FORMAT,
                          checkpoint.step(),
                          checkpoint.seed(),
                          checkpoint.adamStep(),
                          config,
                          TENSORS,
                          crc,
                          null,
                          bytes,
                          names));
      SmallPuts small = new SmallPuts();
      small.after(
          manifest,
          m -> store.put(ObjectStore.join(prefix, MANIFEST), Json.PRETTY.writeValueAsBytes(m)));
      if (runPrefix != null) {
        small.after(manifest, m -> markLatest(store, runPrefix, prefix));
      }
      try {
        store.put(ObjectStore.join(prefix, TENSORS), tensors, bytes);
      } catch (IOException | RuntimeException e) {
        small.abandonAndAwait(e);
        throw e;
      }
      small.await();
      return manifest.join();
    }
  }

  /**
   * The manifest and pointer puts of one save, on {@link #METADATA_WRITERS}. Once the tensor upload
   * failed, those not yet started are skipped; either way nothing is still writing when the save
   * returns or throws.
   */
  private static final class SmallPuts {
    private final List<CompletableFuture<Void>> puts = new ArrayList<>();
    private final AtomicBoolean abandoned = new AtomicBoolean();

    void after(CompletableFuture<Manifest> manifest, Put put) {
      puts.add(
          manifest.thenAcceptAsync(
              m -> {
                if (abandoned.get()) {
                  return;
                }
                try {
                  put.run(m);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              METADATA_WRITERS));
    }

    /** Waits for every put; the first failure is thrown, the others added to it. */
    void await() throws IOException {
      Throwable first = null;
      for (CompletableFuture<Void> f : puts) {
        try {
          f.join();
        } catch (CompletionException | CancellationException e) {
          Throwable cause = e;
          while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
              && cause.getCause() != null) {
            cause = cause.getCause();
          }
          if (first == null) {
            first = cause;
          } else {
            first.addSuppressed(cause);
          }
        }
      }
      if (first instanceof IOException io) {
        throw io;
      }
      if (first instanceof RuntimeException r) {
        throw r;
      }
      if (first != null) {
        throw new IOException("writing a checkpoint's manifest or pointer failed", first);
      }
    }

    /** After the tensor upload failed with {@code failure}: skip, wait, report nothing new. */
    void abandonAndAwait(Throwable failure) {
      abandoned.set(true);
      try {
        await();
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private interface Put {
    void run(Manifest manifest) throws IOException;
  }

  // daemon threads, gone after a minute idle: two small puts per save
  private static final ExecutorService METADATA_WRITERS =
      DaemonThreads.cachedPool("checkpoint-metadata-put");

  private static void addAll(
      List<SafetensorsStream.Named> arrays,
      List<String> names,
      String kind,
      Map<String, NDArray> byName) {
    for (Map.Entry<String, NDArray> e : byName.entrySet()) {
      arrays.add(new SafetensorsStream.Named(kind + e.getKey(), e.getValue()));
      names.add(kind + e.getKey());
    }
  }

  /** Reads only the manifest under {@code prefix}. */
  public static Manifest readManifest(ObjectStore store, String prefix) throws IOException {
    byte[] json = store.get(ObjectStore.join(prefix, MANIFEST));
    Manifest manifest;
    try {
      manifest = JSON.readValue(json, Manifest.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CorruptCheckpointException(
          "checkpoint "
              + prefix
              + ": "
              + MANIFEST
              + " is not valid JSON ("
              + e.getOriginalMessage()
              + ")");
    }
    boolean current = FORMAT.equals(manifest.format()) && manifest.crc32c() != null;
    boolean earlier = FORMAT_SHA256.equals(manifest.format()) && manifest.sha256() != null;
    if (!current && !earlier) {
      throw new CorruptCheckpointException(
          "checkpoint "
              + prefix
              + " has format '"
              + manifest.format()
              + "' without its checksum; this build reads '"
              + FORMAT
              + "' (with crc32c) and '"
              + FORMAT_SHA256
              + "' (with sha256)");
    }
    return manifest;
  }

  /**
   * The sha256 of the tensor file of the checkpoint under {@code prefix}, for lineage (the teacher
   * a model package was distilled from): read from a {@value #FORMAT_SHA256} manifest, else
   * computed from the file after checking its CRC-32C.
   */
  public static String tensorSha256(ObjectStore store, String prefix) throws IOException {
    Manifest manifest = readManifest(store, prefix);
    if (manifest.sha256() != null) {
      return manifest.sha256();
    }
    byte[] bytes = store.get(ObjectStore.join(prefix, manifest.tensorFile()));
    verify(prefix, manifest, bytes);
    return Sha256.of(bytes);
  }

  /** Throws if {@code tensorFileBytes} do not have the checksum {@code manifest} records. */
  private static void verify(String prefix, Manifest manifest, byte[] tensorFileBytes)
      throws CorruptCheckpointException {
    String actual = manifest.checksumOf(tensorFileBytes);
    if (!actual.equals(manifest.checksum())) {
      throw new CorruptCheckpointException(
          "checkpoint "
              + prefix
              + ": checksum of "
              + manifest.tensorFile()
              + " is "
              + actual
              + " but the manifest says "
              + manifest.checksum()
              + " (corrupt or partially written; use an earlier checkpoint)");
    }
  }

  /**
   * Loads the checkpoint under {@code prefix} into a new sub-manager of {@code parent}, verifying
   * the checksum of the tensor file and that the tensors match the manifest.
   *
   * @throws IOException if objects are missing, the checksum does not match or tensors are missing
   */
  public static TrainingCheckpoint load(ObjectStore store, String prefix, NDManager parent)
      throws IOException {
    Manifest manifest = readManifest(store, prefix);
    byte[] bytes = store.get(ObjectStore.join(prefix, manifest.tensorFile()));
    verify(prefix, manifest, bytes);
    NDManager m = parent.newSubManager();
    try {
      NDList list = NDList.decode(m, bytes);
      Map<String, NDArray> byName = new LinkedHashMap<>();
      for (NDArray a : list) {
        byName.put(a.getName(), a);
      }
      for (String name : manifest.tensors()) {
        if (!byName.containsKey(name)) {
          throw new CorruptCheckpointException(
              "checkpoint " + prefix + ": tensor '" + name + "' listed in manifest is missing");
        }
      }
      Map<String, NDArray> w = new LinkedHashMap<>();
      Map<String, NDArray> ema = new LinkedHashMap<>();
      Map<String, NDArray> mm = new LinkedHashMap<>();
      Map<String, NDArray> vv = new LinkedHashMap<>();
      for (String name : manifest.tensors()) {
        NDArray a = byName.get(name);
        if (name.startsWith(MODEL)) {
          w.put(name.substring(MODEL.length()), a);
        } else if (name.startsWith(EMA)) {
          ema.put(name.substring(EMA.length()), a);
        } else if (name.startsWith(ADAM_M)) {
          mm.put(name.substring(ADAM_M.length()), a);
        } else if (name.startsWith(ADAM_V)) {
          vv.put(name.substring(ADAM_V.length()), a);
        } else {
          throw new IOException("checkpoint " + prefix + ": unknown tensor kind '" + name + "'");
        }
      }
      String config =
          manifest.config() == null ? "{}" : Json.PRETTY.writeValueAsString(manifest.config());
      return new TrainingCheckpoint(
          manifest.step(), manifest.seed(), manifest.adamStep(), config, w, ema, mm, vv, m);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Loads the checkpoint under {@code prefix} and copies its weights (or, with {@code useEma}, its
   * EMA averages over the trainable ones) into {@code model}; for sampling and evaluation.
   */
  public static void loadWeightsInto(
      ObjectStore store, String prefix, Block model, boolean useEma, NDManager parent)
      throws IOException {
    try (TrainingCheckpoint cp = load(store, prefix, parent)) {
      cp.restoreWeights(model);
      if (useEma) {
        Map<String, ai.djl.nn.Parameter> params = ParameterArrays.parameters(model);
        for (Map.Entry<String, NDArray> e : cp.ema().entrySet()) {
          ai.djl.nn.Parameter p = params.get(e.getKey());
          if (p == null) {
            throw new IllegalArgumentException(
                "checkpoint has EMA for '" + e.getKey() + "' but the model has no such parameter");
          }
          ParameterArrays.copyInto(p.getArray(), e.getValue());
        }
      }
    }
  }

  /**
   * Records {@code checkpointPrefix} as the newest checkpoint of the run under {@code runPrefix}.
   */
  public static void markLatest(ObjectStore store, String runPrefix, String checkpointPrefix)
      throws IOException {
    store.put(
        ObjectStore.join(runPrefix, LATEST), checkpointPrefix.getBytes(StandardCharsets.UTF_8));
  }

  /** The newest checkpoint prefix recorded by {@link #markLatest}, if any. */
  public static Optional<String> latest(ObjectStore store, String runPrefix) throws IOException {
    String key = ObjectStore.join(runPrefix, LATEST);
    if (!store.exists(key)) {
      return Optional.empty();
    }
    return Optional.of(new String(store.get(key), StandardCharsets.UTF_8).trim());
  }

  /** The checkpoint a resume found, and the prefix it was loaded from. */
  public record Found(String prefix, TrainingCheckpoint checkpoint) {}

  /**
   * Loads the newest checkpoint of the run under {@code runPrefix} that is complete, trying {@link
   * #resumeCandidates} in order into a sub-manager of {@code parent}; the caller closes it. A
   * candidate that does not load is skipped with a warning for the one before it: an incomplete one
   * (its manifest or tensor file missing: a save cut short, since the three puts of a save go up
   * together) or a corrupt one (unreadable manifest, checksum mismatch). Empty when nothing loads
   * and nothing was corrupt, i.e. no save ever completed: training starts from step 0.
   *
   * @throws NoUsableCheckpointException if checkpoints exist, none loads, and one was corrupt
   */
  public static Optional<Found> loadNewest(ObjectStore store, String runPrefix, NDManager parent)
      throws IOException {
    List<String> reasons = new ArrayList<>();
    boolean corrupt = false;
    for (String candidate : resumeCandidates(store, runPrefix)) {
      try {
        return Optional.of(new Found(candidate, load(store, candidate, parent)));
      } catch (CorruptCheckpointException e) {
        LOG.warn("skipping corrupt checkpoint {}: {}", candidate, e.getMessage());
        reasons.add(e.getMessage());
        corrupt = true;
      } catch (ObjectNotFoundException e) {
        LOG.warn(
            "skipping incomplete checkpoint {} (a save cut short): {}", candidate, e.getMessage());
        reasons.add(e.getMessage());
      }
    }
    if (corrupt) {
      throw new NoUsableCheckpointException(store, runPrefix, reasons);
    }
    return Optional.empty();
  }

  /**
   * Checkpoint prefixes under {@code runPrefix} to try when resuming, best first: the one the
   * {@code latest} pointer names, then every {@code step-*} checkpoint from the newest down (a
   * corrupt newest checkpoint is skipped for the previous one).
   */
  public static List<String> resumeCandidates(ObjectStore store, String runPrefix)
      throws IOException {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    latest(store, runPrefix).ifPresent(out::add);
    List<String> steps = new ArrayList<>();
    String base = runPrefix.isEmpty() ? "" : runPrefix + "/";
    for (String key : store.list(base + "step-")) {
      String rest = key.substring(base.length());
      int slash = rest.indexOf('/');
      if (slash > 0 && rest.substring(slash + 1).equals(MANIFEST)) {
        steps.add(base + rest.substring(0, slash));
      }
    }
    steps.sort(Comparator.reverseOrder());
    out.addAll(steps);
    return new ArrayList<>(out);
  }
}
