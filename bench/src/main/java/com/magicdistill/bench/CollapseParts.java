package com.magicdistill.bench;

import com.magicdistill.engine.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finished parts of a collapse study (the start and each arm), kept so that a study can be
 * spread over processes ({@code --arms}) and continued after a stop: each part is written to {@code
 * <work>/collapse-parts/<part>.json} with the study's settings, and a part of an earlier results
 * file of the same settings counts as finished too. A part is reused only when every setting that
 * changes the results (the {@link #SETTINGS} keys) is the same.
 */
final class CollapseParts {
  private static final Logger LOG = LoggerFactory.getLogger(CollapseParts.class);

  /** The results' keys that define the study; a part made under other values is not reused. */
  static final List<String> SETTINGS =
      List.of(
          "preset",
          "teacher_preset",
          "teacher",
          "feature_extractor",
          "bootstrap",
          "probe_clips",
          "probe_every",
          "start_iterations",
          "arm_iterations",
          "alpha_weak",
          "distill");

  static final String FOLDER = "collapse-parts";

  private final Path dir;
  private final SettingsRecord settings;

  /** The processes listed by the reused results file, by {@link #key}. */
  private final Map<String, Map<String, Object>> listed = new LinkedHashMap<>();

  /**
   * @param results the study's results so far: its {@link #SETTINGS} keys are read
   */
  CollapseParts(Path workDir, Map<String, Object> results) {
    this.dir = workDir.resolve(FOLDER);
    this.settings = settingsOf(results);
  }

  /** The {@link #SETTINGS} keys of a results file. */
  private static SettingsRecord settingsOf(Map<String, Object> json) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (String key : SETTINGS) {
      s.put(key, json.get(key));
    }
    return new SettingsRecord(s);
  }

  /**
   * The finished parts: those of {@code earlierResults} (a results file of this study, if it exists
   * and has the same settings), then those written under the work folder, which win.
   */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> load(Path earlierResults) throws IOException {
    Map<String, Map<String, Object>> parts = new LinkedHashMap<>();
    if (Files.exists(earlierResults)) {
      Map<String, Object> old = Json.MAPPER.readValue(earlierResults.toFile(), Map.class);
      List<String> differ = settings.differences(settingsOf(old).settings());
      if (differ.isEmpty()) {
        parts.putAll(fromResults(old));
        processesOf(old).forEach(m -> listed.put(key(m), m));
        LOG.info("reusing {} of {} (same settings)", parts.keySet(), earlierResults);
      } else {
        LOG.info("{} differs in {}: none of it is reused", earlierResults, differ);
      }
    }
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          Map<String, Object> saved = Json.MAPPER.readValue(f.toFile(), Map.class);
          String name = f.getFileName().toString().replaceFirst("\\.json$", "");
          List<String> differ = settings.differences(SettingsRecord.recordedIn(saved));
          if (differ.isEmpty()) {
            parts.put(name, (Map<String, Object>) saved.get("part"));
            LOG.info("reusing part {} from {}", name, f);
          } else {
            LOG.info("{} differs in {}: not reused", f, differ);
          }
        }
      }
    }
    return parts;
  }

  /**
   * The start and arms of a results file, each with the processes that made that file (its {@code
   * processes}, or one entry with its command and wall time when it has none).
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> fromResults(Map<String, Object> old) {
    Object listed = old.get("processes");
    List<Object> processes;
    if (listed instanceof List<?> l && !l.isEmpty()) {
      processes = List.copyOf(l);
    } else {
      Map<String, Object> process = new LinkedHashMap<>();
      process.put("command", old.get("command"));
      process.put("wall_s", old.get("wall_s"));
      processes = List.of(process);
    }
    Object probeMs = ((Map<String, Object>) old.get("timings")).get("probe_ms");
    Map<String, Map<String, Object>> parts = new LinkedHashMap<>();
    Map<String, Object> start = (Map<String, Object>) old.get("start");
    if (start != null) {
      Map<String, Object> s = new LinkedHashMap<>(start);
      s.putIfAbsent(
          "ms_per_iteration",
          ((Map<String, Object>) old.get("timings")).get("start_ms_per_iteration"));
      parts.put(CollapseBenchmark.START, s);
    }
    CollapseTable.arms(old).forEach((name, arm) -> parts.put(name, new LinkedHashMap<>(arm)));
    for (Map<String, Object> p : parts.values()) {
      p.putIfAbsent("probe_ms", probeMs);
      p.putIfAbsent(PROCESSES, processes);
    }
    return parts;
  }

  /** One process's identity: its command and start time. */
  static String key(Map<String, Object> process) {
    return process.get("command") + " " + process.get("started");
  }

  /**
   * {@code process} as the reused results file recorded it when that says it ran longer (it wrote
   * the results after its last part), else as given.
   */
  Map<String, Object> longest(Map<String, Object> process) {
    Map<String, Object> there = listed.get(key(process));
    return there != null && MetricsTable.num(there, "wall_s") > MetricsTable.num(process, "wall_s")
        ? there
        : process;
  }

  /** A part's key for the processes that made it (command, start time, wall seconds each). */
  static final String PROCESSES = "processes";

  /**
   * The processes that made {@code part} ({@link #PROCESSES}, or the single {@code process} that
   * parts written before that key carry).
   */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> processesOf(Map<String, Object> part) {
    if (part.get(PROCESSES) instanceof List<?> l) {
      return (List<Map<String, Object>>) l;
    }
    return part.get("process") instanceof Map<?, ?> m
        ? List.of((Map<String, Object>) m)
        : List.of();
  }

  /** Writes a finished part (replacing an older file of the same name) and drops its partial. */
  void save(String name, Map<String, Object> part) throws IOException {
    write(dir.resolve(name + ".json"), part);
    Files.deleteIfExists(dir.resolve(name + PARTIAL));
    LOG.info("part {} written to {}", name, dir);
  }

  /** Suffix of an unfinished arm's file: its curve and alignment so far. */
  static final String PARTIAL = ".json.partial";

  /** Keeps an unfinished arm's curve and alignment so far. */
  void savePartial(String name, Map<String, Object> sofar) throws IOException {
    write(dir.resolve(name + PARTIAL), sofar);
  }

  /** An unfinished arm's curve and alignment so far, if kept under the same settings, or null. */
  @SuppressWarnings("unchecked")
  Map<String, Object> loadPartial(String name) throws IOException {
    Path f = dir.resolve(name + PARTIAL);
    if (!Files.exists(f)) {
      return null;
    }
    Map<String, Object> saved = Json.MAPPER.readValue(f.toFile(), Map.class);
    List<String> differ = settings.differences(SettingsRecord.recordedIn(saved));
    if (!differ.isEmpty()) {
      LOG.info("{} differs in {}: the arm starts over", f, differ);
      return null;
    }
    LOG.info("continuing arm {} from {}", name, f);
    return (Map<String, Object>) saved.get("part");
  }

  private void write(Path target, Map<String, Object> part) throws IOException {
    settings.write(target, "part", part);
  }
}
