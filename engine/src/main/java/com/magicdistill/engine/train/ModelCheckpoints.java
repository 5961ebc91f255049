package com.magicdistill.engine.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;

/** Rebuilds a model from a training checkpoint alone (architecture from its config JSON). */
public final class ModelCheckpoints {
  private static final ObjectMapper JSON = Json.MAPPER;

  private ModelCheckpoints() {}

  /**
   * The architecture of the newest valid checkpoint under {@code runPrefix}, without its weights.
   */
  public static DitConfig config(ObjectStore store, String runPrefix) throws IOException {
    String prefix = resolve(store, runPrefix);
    JsonNode config = CheckpointIO.readManifest(store, prefix).config();
    if (config == null || !config.has("model")) {
      throw new IllegalArgumentException(
          "checkpoint " + prefix + " has no model config: it was not written by TrainingPhase");
    }
    return JSON.treeToValue(config.get("model"), DitConfig.class);
  }

  /**
   * Loads the newest checkpoint of the run under {@code runPrefix} (or {@code runPrefix} itself if
   * it is a checkpoint), with EMA weights, into a new {@link VideoDiT} owned by {@code manager}.
   */
  public static VideoDiT loadEma(ObjectStore store, String runPrefix, NDManager manager)
      throws IOException {
    String prefix = resolve(store, runPrefix);
    VideoDiT model = new VideoDiT(config(store, prefix));
    model.initialize(manager);
    CheckpointIO.loadWeightsInto(store, prefix, model, true, manager);
    return model;
  }

  /**
   * Writes the model {@link #loadEma} reads from {@code prefix} (a run's newest checkpoint or one
   * checkpoint) as a weights-only checkpoint under {@code outPrefix} in {@code out}: the EMA
   * averages become its weights and it carries no EMA or optimizer state, about a quarter of a
   * training checkpoint. Step, seed and config are the source's, so {@link #loadEma} of the copy
   * rebuilds the same model; training cannot resume from it. Returns the copy's manifest.
   */
  public static CheckpointIO.Manifest saveWeightsOnly(
      ObjectStore store, String prefix, ObjectStore out, String outPrefix, NDManager manager)
      throws IOException {
    String source = resolve(store, prefix);
    CheckpointIO.Manifest manifest = CheckpointIO.readManifest(store, source);
    try (NDManager m = manager.newSubManager()) {
      VideoDiT model = loadEma(store, source, m);
      try (TrainingCheckpoint weights =
          TrainingCheckpoint.capture(
              model,
              null,
              null,
              manifest.step(),
              manifest.seed(),
              Json.PRETTY.writeValueAsString(manifest.config()),
              m)) {
        return CheckpointIO.save(out, outPrefix, weights);
      }
    }
  }

  /** A run prefix resolves through its {@code latest} pointer; a checkpoint prefix is itself. */
  public static String resolve(ObjectStore store, String prefix) throws IOException {
    if (store.exists(ObjectStore.join(prefix, CheckpointIO.MANIFEST))) {
      return prefix;
    }
    // The pointer holds the key the writer used; checkpoints sit directly under their run prefix,
    // so keep only the folder name: the run can then be opened from any root (e.g. its parent).
    return CheckpointIO.latest(store, prefix)
        .map(p -> ObjectStore.join(prefix, p.substring(p.lastIndexOf('/') + 1)))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "checkpoint: nothing found under '"
                        + prefix
                        + "' in "
                        + store
                        + ": give a checkpoint folder written by 'magic train teacher' or a pipeline run"));
  }
}
