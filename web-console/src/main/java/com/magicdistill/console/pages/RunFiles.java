package com.magicdistill.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.console.runs.RunService;
import com.magicdistill.db.ArtifactRow;
import com.magicdistill.db.TeamScope;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * A run's files in the object store, for the pages and the API: its artifacts, the evaluation
 * report, the sample clips (MP4 + GIF next to their conditioning frame). Every key served lies
 * under the run's own prefix {@code runs/<id>/} (no {@code ..}, no absolute or empty segments), so
 * no request reaches another run's or team's objects whatever it names.
 */
@Component
public class RunFiles {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._=-]{1,200}");
  private static final Pattern SAMPLE =
      Pattern.compile("evaluate/samples/(?:([^/]+)/)?(clip|first)-(\\d+)\\.(mp4|gif|png)");

  /** One clip: its index and paths relative to the run prefix (null when absent). */
  public record Clip(int index, String mp4, String gif, String firstFrame) {}

  /** The clips of one method (e.g. w2s4), plus its contact sheets. */
  public record MethodSamples(String method, String label, List<Clip> clips, List<String> sheets) {}

  private final ObjectStore store;
  private final ConsoleRepositories repositories;
  private final RunService runs;

  public RunFiles(ConsoleBackends backends, ConsoleRepositories repositories, RunService runs) {
    this.store = backends.store();
    this.repositories = repositories;
    this.runs = runs;
  }

  public List<ArtifactRow> artifacts(TeamScope scope, String runId) {
    runs.find(scope, runId);
    return repositories.pipeline().artifacts().artifacts(runId);
  }

  public ArtifactRow artifact(TeamScope scope, String runId, long artifactId) {
    return artifacts(scope, runId).stream()
        .filter(a -> a.id() == artifactId)
        .findFirst()
        .filter(a -> isUnder(a.objectKey(), "runs/" + runId + "/"))
        .orElseThrow(() -> ApiException.notFound("artifact " + artifactId + " of run " + runId));
  }

  /** Whether {@code key} is a plain key below {@code prefix}. */
  public static boolean isUnder(String key, String prefix) {
    if (key == null || !key.startsWith(prefix) || key.length() == prefix.length()) {
      return false;
    }
    for (String segment : key.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals("..") || segment.equals(".")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code key} is one stored object (not a prefix, not deleted). */
  public boolean exists(String key) {
    try {
      return store.exists(key);
    } catch (IOException e) {
      return false;
    }
  }

  public InputStream open(String key) throws IOException {
    return store.openStream(key);
  }

  public byte[] read(String key) throws IOException {
    return store.get(key);
  }

  /** The evaluation report's object key, if the run has one. */
  public Optional<String> reportKey(TeamScope scope, String runId) {
    String fallback = "runs/" + runId + "/evaluate/report.json";
    Optional<String> recorded =
        artifacts(scope, runId).stream()
            .filter(a -> "report".equals(a.kind()))
            .map(ArtifactRow::objectKey)
            .filter(k -> isUnder(k, "runs/" + runId + "/"))
            .findFirst();
    if (recorded.isPresent()) {
      return recorded;
    }
    try {
      return store.exists(fallback) ? Optional.of(fallback) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static String prefix(String runId) {
    return "runs/" + runId + "/";
  }

  /**
   * The object key of {@code path} under the run's prefix.
   *
   * @throws IllegalArgumentException when the path would leave it
   */
  public static String key(String runId, String path) {
    if (path == null || path.isBlank() || path.startsWith("/") || path.contains("..")) {
      throw new IllegalArgumentException("path must stay inside the run");
    }
    String key = prefix(runId) + path;
    ObjectStore.validateKey(key);
    return key;
  }

  public Optional<byte[]> read(String runId, String path) {
    try {
      String key = key(runId, path);
      return store.exists(key) ? Optional.of(store.get(key)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public Optional<JsonNode> report(String runId) {
    return read(runId, "evaluate/report.json")
        .flatMap(
            b -> {
              try {
                return Optional.of(SpecJson.MAPPER.readTree(b));
              } catch (IOException e) {
                return Optional.empty();
              }
            });
  }

  /** The sample clips of a run by method, and its contact sheets. */
  public record Samples(List<MethodSamples> methods, List<String> sheets) {
    public boolean isEmpty() {
      return methods.isEmpty() && sheets.isEmpty();
    }
  }

  /**
   * The evaluate stage's samples ({@code evaluate/samples/<method>/clip-NN.mp4|gif}, the shared
   * conditioning frames {@code first-NN.png} and {@code contact.png}); empty when it wrote none.
   */
  public Samples samples(String runId) {
    List<String> keys;
    try {
      keys = store.list(prefix(runId) + "evaluate/samples/");
    } catch (IOException | RuntimeException e) {
      return new Samples(List.of(), List.of());
    }
    Map<String, Map<Integer, String[]>> byMethod = new TreeMap<>(SampleOrder.INSTANCE);
    Map<Integer, String> sharedFirst = new TreeMap<>();
    List<String> sheets = new ArrayList<>();
    for (String key : keys) {
      String rel = key.substring(prefix(runId).length());
      Matcher m = SAMPLE.matcher(rel);
      if (m.matches()) {
        int index = Integer.parseInt(m.group(3));
        if (m.group(1) == null && m.group(2).equals("first")) {
          sharedFirst.put(index, rel);
          continue;
        }
        String method = m.group(1) == null ? "exported_w2s4" : m.group(1);
        String[] clip =
            byMethod
                .computeIfAbsent(method, k -> new TreeMap<>())
                .computeIfAbsent(index, k -> new String[3]);
        int slot = m.group(2).equals("first") ? 2 : m.group(4).equals("mp4") ? 0 : 1;
        clip[slot] = rel;
      } else if (rel.endsWith(".png")) {
        sheets.add(rel);
      }
    }
    List<MethodSamples> out = new ArrayList<>();
    byMethod.forEach(
        (method, clips) -> {
          List<Clip> list = new ArrayList<>();
          clips.forEach(
              (i, c) ->
                  list.add(new Clip(i, c[0], c[1], c[2] != null ? c[2] : sharedFirst.get(i))));
          out.add(new MethodSamples(method, EvalTable.label(method), list, List.of()));
        });
    return new Samples(out, sheets);
  }

  /** The exported method first, then the teacher, then the rest by name. */
  enum SampleOrder implements java.util.Comparator<String> {
    INSTANCE;

    private static int rank(String m) {
      return switch (m) {
        case "exported_w2s4", "w2s4" -> 0;
        case "dmd_lora4", "dmd4" -> 1;
        case "teacher_euler4", "euler4" -> 2;
        case "teacher_euler28", "euler28" -> 3;
        default -> 9;
      };
    }

    @Override
    public int compare(String a, String b) {
      int r = Integer.compare(rank(a), rank(b));
      return r != 0 ? r : a.compareTo(b);
    }
  }

  public static String contentType(String path) {
    String p = path.toLowerCase();
    if (p.endsWith(".mp4")) {
      return "video/mp4";
    }
    if (p.endsWith(".gif")) {
      return "image/gif";
    }
    if (p.endsWith(".png")) {
      return "image/png";
    }
    if (p.endsWith(".json")) {
      return "application/json";
    }
    if (p.endsWith(".md") || p.endsWith("sums")) {
      return "text/plain;charset=UTF-8";
    }
    return "application/octet-stream";
  }

  public ObjectStore store() {
    return store;
  }
}
