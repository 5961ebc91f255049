package com.magicdistill.activities;

import com.magicdistill.db.Repositories;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.storage.CheckpointRetention;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each checkpoint an attempt writes as a PostgreSQL row (size, sha256, metric) and then
 * applies retention under its folder: the newest {@code keepLast} and the best {@code keepBest} by
 * metric stay, the rest are deleted from the store and marked deleted.
 */
final class CheckpointRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointRecorder.class);

  private final ObjectStore store;
  private final Repositories repositories;
  private final String runId;
  private final String stage;
  private final long attemptId;
  private final RunSpec.CheckpointSpec policy;

  CheckpointRecorder(
      ObjectStore store,
      Repositories repositories,
      String runId,
      String stage,
      long attemptId,
      RunSpec.CheckpointSpec policy) {
    this.store = store;
    this.repositories = repositories;
    this.runId = runId;
    this.stage = stage;
    this.attemptId = attemptId;
    this.policy = policy;
  }

  /**
   * Records {@code key} and the checkpoints written with it (e.g. the critic of a generator) at
   * {@code atStep}, each followed by retention under its folder.
   *
   * @param metric what retention ranks by (lower is better), or NaN for none
   */
  void record(String key, long atStep, Set<String> companions, double metric) {
    try {
      for (String k : concat(key, companions)) {
        var manifest = CheckpointIO.readManifest(store, k);
        repositories
            .checkpoints()
            .recordCheckpoint(
                runId,
                stage,
                attemptId,
                k,
                atStep,
                manifest.tensorBytes(),
                manifest.checksum(),
                Double.isFinite(metric) ? metric : null);
        retain(parentOf(k), k);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("recording checkpoint " + key, e);
    }
  }

  /** Keeps the newest keepLast and best keepBest checkpoints under {@code prefix}. */
  private void retain(String prefix, String newest) throws IOException {
    Map<String, Double> metric = new LinkedHashMap<>();
    for (var row : repositories.checkpoints().checkpoints(runId, stage)) {
      if (row.metric() != null && row.deletedAt() == null && row.objectKey().startsWith(prefix)) {
        metric.put(row.objectKey(), row.metric());
      }
    }
    List<String> deleted =
        CheckpointRetention.apply(
            store, prefix, policy.keepLast(), policy.keepBest(), metric, Set.of(newest));
    for (String d : deleted) {
      try {
        repositories.checkpoints().markCheckpointDeleted(d);
      } catch (RuntimeException e) {
        LOG.warn("retention deleted {}, which PostgreSQL did not list: {}", d, e.getMessage());
      }
    }
    if (!deleted.isEmpty()) {
      LOG.info("retention under {}: deleted {}", prefix, deleted);
    }
  }

  private static List<String> concat(String first, Set<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private static String parentOf(String key) {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }
}
