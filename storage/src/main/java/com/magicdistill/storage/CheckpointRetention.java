package com.magicdistill.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deletes old checkpoints of one run stage, keeping the newest, the best and the protected ones.
 *
 * <p>Checkpoints are the folders {@code <prefix>/step-%08d/} of the engine's layout: {@value
 * #MANIFEST} (written last) plus {@code tensors.safetensors}. A folder counts as a checkpoint only
 * if its manifest exists. Kept are: the {@code keepLast} checkpoints with the highest steps; the
 * {@code keepBest} with the lowest metric (ties: the newer); the protected ones; the one the run's
 * {@code <prefix>/latest} pointer names (always, whatever the caller passes).
 *
 * <p>Deleted is every other checkpoint, manifest first and then the rest, so a checkpoint
 * interrupted half-way through deletion has no manifest and is never taken for valid. Folders
 * without a manifest that are older than the newest checkpoint (leftovers of an interrupted
 * deletion or a crashed write) are deleted too; newer ones may be a checkpoint being written right
 * now and are left alone.
 */
public final class CheckpointRetention {
  public static final String MANIFEST = "checkpoint.json";
  public static final String LATEST_POINTER = "latest";

  private static final Pattern STEP_FOLDER = Pattern.compile("(step-\\d{8,})/.+");

  private CheckpointRetention() {}

  /**
   * Applies the retention policy to the checkpoints under {@code prefix}.
   *
   * @param prefix the run stage prefix, e.g. {@code runs/r1/teacher}
   * @param keepLast how many of the newest checkpoints to keep, at least 1
   * @param keepBest how many of the lowest-metric checkpoints to keep, at least 0
   * @param metricByCheckpoint metric per checkpoint, lower is better (may be empty; NaN counts as
   *     no metric); keys are checkpoint prefixes ({@code runs/r1/teacher/step-00000100}) or bare
   *     folder names ({@code step-00000100})
   * @param protectedCheckpoints checkpoints never to delete, named the same way
   * @return the deleted checkpoint prefixes ({@code <prefix>/step-%08d}), oldest first
   */
  public static List<String> apply(
      ObjectStore store,
      String prefix,
      int keepLast,
      int keepBest,
      Map<String, Double> metricByCheckpoint,
      Set<String> protectedCheckpoints)
      throws IOException {
    if (store == null) {
      throw new IllegalArgumentException("store must not be null");
    }
    String base = ObjectStore.validateKey(ObjectStore.join(prefix == null ? "" : prefix));
    if (keepLast < 1) {
      throw new IllegalArgumentException(
          "keepLast is "
              + keepLast
              + ": must be >= 1 (the newest checkpoint is what resume needs)");
    }
    if (keepBest < 0) {
      throw new IllegalArgumentException("keepBest is " + keepBest + ": must be >= 0");
    }
    if (metricByCheckpoint == null) {
      throw new IllegalArgumentException("metricByCheckpoint must not be null (pass Map.of())");
    }
    if (protectedCheckpoints == null) {
      throw new IllegalArgumentException("protectedCheckpoints must not be null (pass Set.of())");
    }

    // folder name -> its keys; TreeMap: zero-padded step names sort by step.
    TreeMap<String, List<String>> folders =
        new TreeMap<>(
            Comparator.comparingLong(CheckpointRetention::stepOf)
                .thenComparing(Comparator.naturalOrder()));
    for (String key : store.list(base + "/")) {
      Matcher m = STEP_FOLDER.matcher(key.substring(base.length() + 1));
      if (m.matches()) {
        folders.computeIfAbsent(m.group(1), f -> new ArrayList<>()).add(key);
      }
    }
    List<String> complete = new ArrayList<>();
    for (var e : folders.entrySet()) {
      if (e.getValue().contains(base + "/" + e.getKey() + "/" + MANIFEST)) {
        complete.add(e.getKey());
      }
    }

    Map<String, Double> metric = new HashMap<>();
    metricByCheckpoint.forEach(
        (c, m) -> {
          if (m != null && !m.isNaN()) {
            metric.put(folderName(base, c), m);
          }
        });
    Set<String> keep = new HashSet<>();
    protectedCheckpoints.forEach(c -> keep.add(folderName(base, c)));
    latestPointer(store, base).ifPresent(c -> keep.add(folderName(base, c)));
    keep.addAll(complete.subList(Math.max(0, complete.size() - keepLast), complete.size()));
    complete.stream()
        .filter(metric::containsKey)
        .sorted(Comparator.comparing((String f) -> metric.get(f)).thenComparing(f -> -stepOf(f)))
        .limit(keepBest)
        .forEach(keep::add);
    String newestComplete = complete.isEmpty() ? null : complete.get(complete.size() - 1);

    List<String> deleted = new ArrayList<>();
    for (var e : folders.entrySet()) {
      String folder = e.getKey();
      boolean isComplete = complete.contains(folder);
      boolean maybeBeingWritten =
          !isComplete && (newestComplete == null || stepOf(folder) > stepOf(newestComplete));
      if (keep.contains(folder) || maybeBeingWritten) {
        continue;
      }
      deleteFolder(store, base + "/" + folder, e.getValue());
      deleted.add(base + "/" + folder);
    }
    return deleted;
  }

  /** Deletes the manifest first, then every other object of the checkpoint. */
  private static void deleteFolder(ObjectStore store, String checkpoint, List<String> keys)
      throws IOException {
    String manifest = checkpoint + "/" + MANIFEST;
    if (keys.contains(manifest)) {
      store.delete(manifest);
    }
    for (String key : keys) {
      if (!key.equals(manifest)) {
        store.delete(key);
      }
    }
  }

  private static Optional<String> latestPointer(ObjectStore store, String base) throws IOException {
    String key = base + "/" + LATEST_POINTER;
    if (!store.exists(key)) {
      return Optional.empty();
    }
    return Optional.of(new String(store.get(key), StandardCharsets.UTF_8).strip());
  }

  /** {@code step-00000100} for {@code <base>/step-00000100}, {@code step-00000100[/]}. */
  private static String folderName(String base, String checkpoint) {
    String c = ObjectStore.join(checkpoint);
    return c.startsWith(base + "/") ? c.substring(base.length() + 1) : c;
  }

  private static long stepOf(String folder) {
    return Long.parseLong(folder.substring("step-".length()));
  }
}
