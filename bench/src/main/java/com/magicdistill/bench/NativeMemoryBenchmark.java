package com.magicdistill.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.perf.NativeAllocator;
import com.magicdistill.engine.stats.Median;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The teacher training step with glibc's default malloc against the memory-reuse setting that
 * {@code ./magic} starts the JVM with (docs/EVALUATION.md#native-memory). The setting is read by
 * glibc when a process starts, so the two cannot share a JVM: each measurement is a child JVM
 * running {@code bench teacher --only efficiency}, the two settings alternated per round (glibc
 * then reuse, then reuse then glibc, ...) so both see the same machine load, for each thread count.
 * Reports per-run figures, medians, and the median of the per-round step-time ratios.
 */
public final class NativeMemoryBenchmark {
  /** The two settings compared: glibc's defaults, and {@link NativeAllocator#REUSE}. */
  static final String GLIBC = "glibc";

  static final String REUSE = "reuse";

  private final EnginePreset preset;
  private final int rounds;
  private final List<Integer> threads;
  private final Path resultsDir;
  private final String cliMainClass;
  private final Progress progress;

  /**
   * @param cliMainClass the class whose {@code main} takes {@code bench teacher ...} (the CLI's)
   */
  public NativeMemoryBenchmark(
      EnginePreset preset,
      int rounds,
      List<Integer> threads,
      Path resultsDir,
      String cliMainClass,
      Progress progress) {
    this.preset = preset;
    this.rounds = rounds;
    this.threads = List.copyOf(threads);
    this.resultsDir = resultsDir;
    this.cliMainClass = cliMainClass;
    this.progress = progress;
  }

  public String resultsName() {
    return "native-memory-" + preset.name();
  }

  public Map<String, Object> run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    Path work = BenchResults.temporaryWorkDir("native-memory");
    List<Map<String, Object>> runs = new ArrayList<>();
    List<Map<String, Object>> summary = new ArrayList<>();
    try {
      progress.start("efficiency runs", threads.size() * rounds * 2);
      for (int t : threads) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          Map<String, Double> msByMode = new LinkedHashMap<>();
          for (String mode : r % 2 == 0 ? List.of(GLIBC, REUSE) : List.of(REUSE, GLIBC)) {
            Map<String, Object> row = measure(work.resolve(t + "-" + r + "-" + mode), t, mode);
            row.put("round", r);
            runs.add(row);
            msByMode.put(mode, (Double) row.get("ms_per_step"));
            progress.step(runs.size(), mode + ", " + t + " threads, round " + (r + 1));
          }
          ratios.add(msByMode.get(REUSE) / msByMode.get(GLIBC));
        }
        summary.add(summarise(t, runs, ratios));
      }
      progress.end();
    } finally {
      BenchResults.deleteQuietly(work);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("preset", preset.name());
    json.put(
        "command",
        "./magic bench native-memory --preset "
            + preset.name()
            + " --rounds "
            + rounds
            + " --threads "
            + String.join(",", threads.stream().map(String::valueOf).toList()));
    json.put("reuse_setting", new TreeMap<>(NativeAllocator.REUSE));
    json.put("summary", summary);
    json.put("runs", runs);
    json.put("wall_s", (System.nanoTime() - start) / 1e9);
    BenchResults.write(resultsDir, resultsName(), json, markdown(json));
    return json;
  }

  /** One child JVM's efficiency run under {@code mode} at {@code threads} threads. */
  private Map<String, Object> measure(Path dir, int threads, String mode)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx6g",
            "-Dai.djl.offline=true",
            "-Dai.djl.default_engine=PyTorch",
            "-cp",
            System.getProperty("java.class.path"),
            cliMainClass,
            "bench",
            "teacher",
            "--preset",
            preset.name(),
            "--only",
            TeacherEfficiencyBenchmark.ONLY,
            "--results",
            dir.toString());
    Map<String, String> env = pb.environment();
    env.keySet().removeAll(NativeAllocator.REUSE.keySet());
    if (mode.equals(REUSE)) {
      env.putAll(NativeAllocator.REUSE);
    }
    env.put("OMP_NUM_THREADS", Integer.toString(threads));
    Path log = dir.resolve("run.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    int code = pb.start().waitFor();
    Path json =
        dir.resolve("teacher-" + preset.name() + "-" + TeacherEfficiencyBenchmark.ONLY + ".json");
    if (code != 0 || !Files.exists(json)) {
      throw new IllegalStateException(
          "an efficiency run ("
              + mode
              + ", "
              + threads
              + " threads) failed with exit code "
              + code
              + "; its output:\n"
              + tail(log));
    }
    Map<String, Object> result =
        new ObjectMapper().readValue(json.toFile(), new TypeReference<Map<String, Object>>() {});
    return row(threads, mode, result);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> row(int threads, String mode, Map<String, Object> result) {
    Map<String, Object> e = (Map<String, Object>) result.get("efficiency");
    Map<String, Object> teacher =
        (Map<String, Object>) ((Map<String, Object>) e.get("phases")).get("teacher");
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("threads", threads);
    row.put("mode", mode);
    row.put("ms_per_step", MetricsTable.num(teacher, "ms_per_step"));
    row.put("mfu", MetricsTable.num(teacher, "mfu"));
    row.put(
        "gemm_peak_gflops", MetricsTable.num((Map<String, Object>) e.get("gemm_peak"), "gflops"));
    row.put("native_allocator", e.get("native_allocator"));
    row.put("profile_ms_per_step", e.get("profile_ms_per_step"));
    row.put("load_average_at_start", result.get("load_average_at_start"));
    return row;
  }

  private static Map<String, Object> summarise(
      int threads, List<Map<String, Object>> runs, List<Double> ratios) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("threads", threads);
    for (String mode : List.of(GLIBC, REUSE)) {
      List<Double> ms = new ArrayList<>();
      List<Double> mfu = new ArrayList<>();
      for (Map<String, Object> r : runs) {
        if (r.get("threads").equals(threads) && r.get("mode").equals(mode)) {
          ms.add((Double) r.get("ms_per_step"));
          mfu.add((Double) r.get("mfu"));
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("median_ms_per_step", Median.of(ms));
      m.put("median_mfu", Median.of(mfu));
      s.put(mode, m);
    }
    s.put("reuse_over_glibc_step_time", ratios);
    s.put("median_ratio", Median.of(ratios));
    return s;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Native memory: glibc defaults vs reuse, preset `")
        .append(json.get("preset"))
        .append("`\n\n");
    sb.append("Command: `")
        .append(json.get("command"))
        .append("`. Each run is a child JVM running `./magic bench teacher --preset ")
        .append(json.get("preset"))
        .append(
            " --only efficiency` (the teacher's training step: median of 15 after 3 warm-up, on a"
                + " fresh model) with glibc's default malloc or with ")
        .append(reuseVars((Map<String, Object>) json.get("reuse_setting")))
        .append(
            " (reuse), the two alternated per round; MFU against the GEMM peak measured in the same"
                + " run (docs/EVALUATION.md#native-memory). Wall time ")
        .append(String.format(Locale.ROOT, "%.0f s.%n%n", MetricsTable.num(json, "wall_s")));
    sb.append(
        "| threads | glibc ms/step | reuse ms/step | reuse / glibc (median of rounds) | glibc MFU"
            + " | reuse MFU |\n|---|---|---|---|---|---|\n");
    for (Map<String, Object> s : (List<Map<String, Object>>) json.get("summary")) {
      Map<String, Object> g = (Map<String, Object>) s.get(GLIBC);
      Map<String, Object> u = (Map<String, Object>) s.get(REUSE);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.3f | %.1f%% | %.1f%% |%n",
              s.get("threads"),
              MetricsTable.num(g, "median_ms_per_step"),
              MetricsTable.num(u, "median_ms_per_step"),
              MetricsTable.num(s, "median_ratio"),
              100 * MetricsTable.num(g, "median_mfu"),
              100 * MetricsTable.num(u, "median_mfu")));
    }
    sb.append(
        "\n| threads | round | setting | ms/step | MFU | GEMM peak GFLOP/s | load at start |\n"
            + "|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : (List<Map<String, Object>>) json.get("runs")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %.0f | %.1f%% | %.1f | %.1f |%n",
              r.get("threads"),
              ((Number) r.get("round")).intValue() + 1,
              r.get("mode"),
              MetricsTable.num(r, "ms_per_step"),
              100 * MetricsTable.num(r, "mfu"),
              MetricsTable.num(r, "gemm_peak_gflops"),
              MetricsTable.num(r, "load_average_at_start")));
    }
    return sb.toString();
  }

  private static String reuseVars(Map<String, Object> setting) {
    List<String> vars = new ArrayList<>();
    setting.forEach((k, v) -> vars.add("`" + k + "=" + v + "`"));
    return String.join(" and ", vars);
  }
}
