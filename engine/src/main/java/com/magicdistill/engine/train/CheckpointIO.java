package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.SafetensorsStream;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes {@link TrainingCheckpoint}s in an {@link ObjectStore}.
 *
 * <p>Layout under {@code prefix}: {@code tensors.safetensors} (all arrays, named {@code model.},
 * {@code ema.}, {@code adam_m.}, {@code adam_v.} + parameter path) then {@code checkpoint.json}
 * (step, seed, adam step, config, tensor names, sha256 of the tensor file). The manifest is written
 * last, so a manifest that exists always describes a complete tensor file; {@link #load} verifies
 * the hash.
 */
public final class CheckpointIO {
  public static final String TENSORS = "tensors.safetensors";
  public static final String MANIFEST = "checkpoint.json";
  public static final String FORMAT = "magicdistill-checkpoint/1";
  public static final String LATEST = "latest";

  static final String MODEL = "model.";
  static final String EMA = "ema.";
  static final String ADAM_M = "adam_m.";
  static final String ADAM_V = "adam_v.";

  private static final ObjectMapper JSON = Json.MAPPER;

  private CheckpointIO() {}

  /** The manifest {@code checkpoint.json}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Manifest(
      String format,
      long step,
      long seed,
      long adamStep,
      JsonNode config,
      String tensorFile,
      String sha256,
      long tensorBytes,
      List<String> tensors) {}

  /**
   * Writes {@code checkpoint} under {@code prefix}; returns the manifest. The tensor file is
   * encoded while it uploads, straight from the arrays' memory, and hashed alongside on another
   * thread ({@link SafetensorsStream}): no copy of the file or of an array is made first. The
   * manifest is put only once the tensor upload has completed (it carries the file's sha256, and
   * its existence is what marks the checkpoint complete).
   */
  public static Manifest save(ObjectStore store, String prefix, TrainingCheckpoint checkpoint)
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
    String sha;
    long bytes;
    try (SafetensorsStream tensors = new SafetensorsStream(arrays)) {
      bytes = tensors.size();
      store.put(ObjectStore.join(prefix, TENSORS), tensors, bytes);
      sha = tensors.sha256();
    }
    Manifest manifest =
        new Manifest(
            FORMAT,
            checkpoint.step(),
            checkpoint.seed(),
            checkpoint.adamStep(),
            config,
            TENSORS,
            sha,
            bytes,
            names);
    store.put(ObjectStore.join(prefix, MANIFEST), Json.PRETTY.writeValueAsBytes(manifest));
    return manifest;
  }

  /**
   * {@link #save} then {@link #markLatest}: the checkpoint under {@code prefix} becomes the newest
   * of the run under {@code runPrefix}; returns its manifest.
   *
   * <p>Three puts, strictly one after the other: tensor file, manifest, pointer. Readers follow the
   * pointer to the manifest and the manifest to the tensor file, and a put becomes visible only
   * when it completes, so a reader never finds a pointer to a checkpoint whose manifest or tensor
   * file is not there yet. Putting the two small objects side by side would save one small request
   * (a few ms against hundreds for the tensor file) and open exactly that window.
   */
  public static Manifest saveAndMarkLatest(
      ObjectStore store, String runPrefix, String prefix, TrainingCheckpoint checkpoint)
      throws IOException {
    Manifest manifest = save(store, prefix, checkpoint);
    markLatest(store, runPrefix, prefix);
    return manifest;
  }

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
    if (!FORMAT.equals(manifest.format())) {
      throw new CorruptCheckpointException(
          "checkpoint "
              + prefix
              + " has format '"
              + manifest.format()
              + "', this build reads '"
              + FORMAT
              + "'");
    }
    return manifest;
  }

  /**
   * Loads the checkpoint under {@code prefix} into a new sub-manager of {@code parent}, verifying
   * the sha256 of the tensor file and that the tensors match the manifest.
   *
   * @throws IOException if objects are missing, the hash does not match or tensors are missing
   */
  public static TrainingCheckpoint load(ObjectStore store, String prefix, NDManager parent)
      throws IOException {
    Manifest manifest = readManifest(store, prefix);
    byte[] bytes = store.get(ObjectStore.join(prefix, manifest.tensorFile()));
    String sha = Sha256.of(bytes);
    if (!sha.equals(manifest.sha256())) {
      throw new CorruptCheckpointException(
          "checkpoint "
              + prefix
              + ": sha256 of "
              + manifest.tensorFile()
              + " is "
              + sha
              + " but the manifest says "
              + manifest.sha256()
              + " (corrupt or partially written; use an earlier checkpoint)");
    }
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
