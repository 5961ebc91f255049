package com.magicdistill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.activities.CodeVersion;
import com.magicdistill.platform.Connections;
import com.magicdistill.platform.EmbeddedStack;
import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.S3ProxyServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code magic bench api}: the REST API under open-loop load on loopback. Starts its own embedded
 * stack, seeds {@code runs} runs with stages, attempts and metrics ({@link ApiSeed}), starts the
 * console, warms it up, then drives each endpoint alone at {@code rate} requests/s for {@code
 * seconds} ({@link OpenLoopLoad}) with a team token. Writes {@code api.json} and {@code api.md}.
 * The per-token rate limit is raised for the run: it is not what is measured.
 */
public final class ApiBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(ApiBenchmark.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static final double READ_P99_TARGET_MS = 20;
  static final double RSS_GROWTH_TARGET_PCT = 10;
  static final int PAGE = 50;
  static final int DEEP_PAGE_LIMIT = 200;
  static final Map<String, String> SETTINGS =
      Map.of(
          "MAGIC_CONSOLE_READS_PER_SECOND", "100000",
          "MAGIC_CONSOLE_READ_BURST", "100000",
          "MAGIC_CONSOLE_WRITES_PER_SECOND", "100000",
          "MAGIC_CONSOLE_WRITE_BURST", "100000");
  static final String VALIDATE_BODY =
      "{\"preset\":\"smoke\",\"name\":\"bench validate\","
          + "\"overrides\":{\"distill.alphaWeak\":0.5}}";

  /**
   * What to run; {@link #DEFAULTS} is what the issue asks for. The warm-up is 60 s: after 10 s the
   * JIT had not finished with the measured paths and their p99 carried its compilations.
   *
   * @param profile where to write a JFR recording of the console during the measured load, or null
   */
  public record Options(int runs, double rate, double seconds, double warmupSeconds, Path profile) {
    public static final Options DEFAULTS = new Options(10_000, 200, 60, 60);

    public Options(int runs, double rate, double seconds, double warmupSeconds) {
      this(runs, rate, seconds, warmupSeconds, null);
    }
  }

  private final Path resultsDir;
  private final Path home;
  private final Options options;
  private final ConsoleUnderTest.Starter starter;
  private final Progress progress;

  /**
   * @param home MAGIC_HOME of the embedded stack, or null for a temporary folder deleted at the end
   */
  public ApiBenchmark(
      Path resultsDir,
      Path home,
      Options options,
      ConsoleUnderTest.Starter starter,
      Progress progress) {
    this.resultsDir = resultsDir;
    this.home = home;
    this.options = options;
    this.starter = starter;
    this.progress = progress;
  }

  /** The command that reproduces these results. */
  String command() {
    StringBuilder b = new StringBuilder("./magic bench api");
    Options d = Options.DEFAULTS;
    if (options.runs() != d.runs()) {
      b.append(" --runs ").append(options.runs());
    }
    if (options.rate() != d.rate()) {
      b.append(" --rate ").append(fmt(options.rate()));
    }
    if (options.seconds() != d.seconds()) {
      b.append(" --seconds ").append(fmt(options.seconds()));
    }
    if (options.warmupSeconds() != d.warmupSeconds()) {
      b.append(" --warmup-seconds ").append(fmt(options.warmupSeconds()));
    }
    if (options.profile() != null) {
      b.append(" --profile ").append(options.profile().getFileName());
    }
    return b.toString();
  }

  /** Seeds, loads every endpoint, writes {@code api.json} and {@code api.md}. */
  public Map<String, Object> run() throws Exception {
    long start = System.nanoTime();
    Path dir = home != null ? home : Files.createTempDirectory("magic-bench-api");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("code", CodeRevision.current().toMap());
    json.put("command", command());
    json.put("runs", options.runs());
    json.put("rate_per_s", options.rate());
    json.put("seconds_per_endpoint", options.seconds());
    json.put("warmup_seconds", options.warmupSeconds());
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("load_average_at_start", loadAverage());
    progress.start("api benchmark", 4 + Endpoint.values().length);
    PlatformConfig config =
        PlatformConfig.embeddedDefaults(
            dir, S3ProxyServer.freePort(), S3ProxyServer.freePort(), S3ProxyServer.freePort());
    try (EmbeddedStack stack = EmbeddedStack.start(config);
        Connections c = new Connections(config)) {
      progress.step(1, "seeding " + options.runs() + " runs");
      long t0 = System.nanoTime();
      String token = ApiSeed.seed(c.dataSource(), c.repositories(), options.runs(), version());
      json.put("seed_s", (System.nanoTime() - t0) / 1e9);
      json.put("seeded", counts(c));
      json.put("plans", plans(c));
      progress.step(2, "starting the console");
      long t1 = System.nanoTime();
      try (ConsoleUnderTest console = starter.start(c, SETTINGS)) {
        json.put("console_start_s", (System.nanoTime() - t1) / 1e9);
        json.put("console", console.inProcess() ? "in-process (test)" : "child JVM");
        measure(console, token, json);
      }
    } finally {
      progress.end();
      if (home == null) {
        BenchResults.deleteQuietly(dir);
      }
    }
    json.put("load_average_at_end", loadAverage());
    json.put("wall_s", (System.nanoTime() - start) / 1e9);
    json.put("targets", targets(json));
    BenchResults.write(resultsDir, "api", json, markdown(json));
    return json;
  }

  private void measure(ConsoleUnderTest console, String token, Map<String, Object> json)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Requests requests =
        new Requests(
            console.url(),
            token,
            options.runs(),
            deepCursor(http, console.url(), token, options.runs()));
    json.put("deep_cursor_offset", requests.deepOffset);
    json.put("response_bytes", probe(http, requests));
    OpenLoopLoad load = new OpenLoopLoad(http, options.rate());
    progress.step(3, "warm-up");
    if (options.warmupSeconds() > 0) {
      Endpoint[] all = Endpoint.values();
      load.run(options.warmupSeconds(), i -> requests.build(all[i % all.length], i));
    }
    System.gc();
    ConsoleProfile profile =
        options.profile() == null || console.inProcess()
            ? null
            : ConsoleProfile.start(console.pid(), options.profile());
    if (profile != null) {
      json.put("note", "Profiled with JFR: the figures include its overhead.");
    }
    double rssBefore = ConsoleUnderTest.rssMb(console.pid());
    json.put("rss_mb_before", rssBefore);
    Map<String, Object> endpoints = new LinkedHashMap<>();
    List<Double> rssSeries = new ArrayList<>();
    rssSeries.add(rssBefore);
    int step = 4;
    for (Endpoint e : Endpoint.values()) {
      progress.step(step++, e.label);
      IntFunction<HttpRequest> r = i -> requests.build(e, i);
      LatencySummary s = load.run(options.seconds(), r);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("request", e.label);
      m.put("read", e.read);
      m.putAll(s.toMap());
      endpoints.put(e.key, m);
      rssSeries.add(ConsoleUnderTest.rssMb(console.pid()));
      LOG.info(
          "{}: p50 {} ms, p99 {} ms, max {} ms, {} errors",
          e.label,
          fmt(s.p50Ms()),
          fmt(s.p99Ms()),
          fmt(s.maxMs()),
          s.errors());
    }
    if (profile != null) {
      profile.stop();
    }
    double rssAfter = rssSeries.get(rssSeries.size() - 1);
    json.put("endpoints", endpoints);
    json.put("rss_mb_after", rssAfter);
    json.put("rss_mb_after_each_endpoint", rssSeries.subList(1, rssSeries.size()));
    json.put(
        "rss_of",
        console.inProcess()
            ? "the test JVM (console and load in one process)"
            : "the console JVM (its /proc status VmRSS)");
  }

  /**
   * One request of each kind, checked: a figure for an empty answer or an error page would flatter
   * the endpoint. Returns each answer's size in bytes.
   */
  private static Map<String, Object> probe(HttpClient http, Requests requests) throws Exception {
    Map<String, Object> bytes = new LinkedHashMap<>();
    for (Endpoint e : Endpoint.values()) {
      HttpResponse<String> r =
          http.send(requests.build(e, 0), HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
      JsonNode content =
          body == null
              ? null
              : switch (e) {
                case LIST_FIRST, LIST_DEEP -> body.path("items");
                case GET_RUN -> body.path("stages");
                case METRIC_SERIES -> body.path("points");
                case VALIDATE -> body.path("valid").asBoolean() ? body.path("resolvedSpec") : null;
              };
      if (content == null || content.isEmpty()) {
        throw new IllegalStateException(
            e.label + " answered " + r.statusCode() + " without content: " + r.body());
      }
      bytes.put(e.key, r.body().length());
    }
    return bytes;
  }

  /** The cursor after 9/10 of the runs (walked 200 at a time): the list's last pages. */
  private static Cursor deepCursor(HttpClient http, String url, String token, int runs)
      throws Exception {
    String cursor = null;
    int seen = 0;
    while (seen < 0.9 * runs - PAGE) {
      String q =
          "/api/v1/runs?limit=" + DEEP_PAGE_LIMIT + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + q))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("GET " + q + " answered " + r.statusCode() + ": " + r.body());
      }
      JsonNode page = JSON.readTree(r.body());
      JsonNode next = page.get("nextCursor");
      if (next == null || next.isNull()) {
        break;
      }
      seen += page.get("items").size();
      cursor = next.asText();
    }
    return new Cursor(cursor, seen);
  }

  record Cursor(String cursor, int offset) {}

  /** The five requests, each with a varying target so caches do not flatter the figures. */
  enum Endpoint {
    LIST_FIRST("list_first_page", "GET /api/v1/runs (first page, 50)", true),
    LIST_DEEP("list_deep_cursor", "GET /api/v1/runs?cursor=... (last pages, 50)", true),
    GET_RUN("get_run", "GET /api/v1/runs/{id}", true),
    METRIC_SERIES("metric_series", "GET /api/v1/runs/{id}/metrics/fine-tune/base.loss", true),
    VALIDATE("validate", "POST /api/v1/runs/validate", false);

    final String key;
    final String label;
    final boolean read;

    Endpoint(String key, String label, boolean read) {
      this.key = key;
      this.label = label;
      this.read = read;
    }
  }

  private static final class Requests {
    final String url;
    final String token;
    final int runs;
    final String deep;
    final int deepOffset;
    final SplittableRandom random = new SplittableRandom(42);

    Requests(String url, String token, int runs, Cursor deep) {
      this.url = url;
      this.token = token;
      this.runs = runs;
      this.deep = deep.cursor();
      this.deepOffset = deep.offset();
    }

    HttpRequest build(Endpoint e, int i) {
      // ApiSeed's statuses cycle with g % 6; QUEUED runs (g % 6 == 5) have no metrics
      int run = 1 + random.nextInt(runs);
      if (run % 6 == 5) {
        run--;
      }
      HttpRequest.Builder b =
          switch (e) {
            case LIST_FIRST -> get("/api/v1/runs?limit=" + PAGE);
            case LIST_DEEP ->
                get("/api/v1/runs?limit=" + PAGE + (deep == null ? "" : "&cursor=" + deep));
            case GET_RUN -> get("/api/v1/runs/" + ApiSeed.runId(run));
            case METRIC_SERIES ->
                get("/api/v1/runs/" + ApiSeed.runId(run) + "/metrics/fine-tune/base.loss");
            case VALIDATE ->
                HttpRequest.newBuilder(URI.create(url + "/api/v1/runs/validate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(VALIDATE_BODY));
          };
      return b.header("Authorization", "Bearer " + token)
          .timeout(OpenLoopLoad.REQUEST_TIMEOUT)
          .build();
    }

    private HttpRequest.Builder get(String path) {
      return HttpRequest.newBuilder(URI.create(url + path)).GET();
    }
  }

  // ------------------------------------------------------------------ results

  static Map<String, Object> targets(Map<String, Object> json) {
    Map<String, Object> t = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> endpoints =
        (Map<String, Map<String, Object>>) json.get("endpoints");
    double worstRead = 0;
    long errors = 0;
    for (Map<String, Object> e : endpoints.values()) {
      if (Boolean.TRUE.equals(e.get("read"))) {
        worstRead = Math.max(worstRead, num(e.get("p99_ms")));
      }
      errors += (long) num(e.get("errors"));
    }
    t.put(
        "read_p99_ms",
        target(
            "p99 of every read < " + fmt(READ_P99_TARGET_MS) + " ms",
            worstRead < READ_P99_TARGET_MS,
            worstRead));
    t.put("errors", target("zero errors", errors == 0, errors));
    double before = num(json.get("rss_mb_before"));
    double after = num(json.get("rss_mb_after"));
    double growth = before <= 0 ? 0 : 100 * (after - before) / before;
    t.put(
        "rss_growth_pct",
        target(
            "console RSS flat: grows < "
                + fmt(RSS_GROWTH_TARGET_PCT)
                + "% from before the load to after it",
            growth < RSS_GROWTH_TARGET_PCT,
            growth));
    return t;
  }

  private static Map<String, Object> target(String what, boolean met, double value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("what", what);
    m.put("met", met);
    m.put("value", value);
    return m;
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> j) {
    StringBuilder b = new StringBuilder();
    b.append("# API benchmark (`").append(j.get("command")).append("`)\n\n");
    Map<String, Object> code = (Map<String, Object>) j.get("code");
    b.append(
        String.format(
            Locale.ROOT,
            "%s runs seeded in %.1f s; open loop at %s requests/s for %s s per endpoint after a %s s"
                + " unmeasured warm-up over all of them (so the JIT has compiled what is measured);"
                + " console: %s; %s cores; load average %.2f at start, %.2f"
                + " at end; wall %.0f s. Code: %s%s.%n%n",
            j.get("runs"),
            num(j.get("seed_s")),
            fmt(num(j.get("rate_per_s"))),
            fmt(num(j.get("seconds_per_endpoint"))),
            fmt(num(j.get("warmup_seconds"))),
            j.get("console"),
            j.get("cores"),
            num(j.get("load_average_at_start")),
            num(j.get("load_average_at_end")),
            num(j.get("wall_s")),
            code == null ? "unknown" : code.get("git_commit"),
            code != null && Boolean.TRUE.equals(code.get("git_dirty"))
                ? " (with uncommitted changes)"
                : ""));
    b.append(
        "Latency counts from each request's scheduled send time (no coordinated omission).\n\n");
    b.append("| request | requests | errors | p50 (ms) | p99 (ms) | max (ms) | achieved (/s) |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    Map<String, Map<String, Object>> endpoints =
        (Map<String, Map<String, Object>>) j.get("endpoints");
    for (Map<String, Object> e : endpoints.values()) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.2f | %.2f | %.1f | %.1f |%n",
              e.get("request"),
              (long) num(e.get("requests")),
              (long) num(e.get("errors")),
              num(e.get("p50_ms")),
              num(e.get("p99_ms")),
              num(e.get("max_ms")),
              num(e.get("achieved_per_s"))));
      Map<String, Object> kinds = (Map<String, Object>) e.get("errors_by_kind");
      if (kinds != null && !kinds.isEmpty()) {
        b.append("|  - errors by kind: ").append(kinds).append(" | | | | | | |\n");
      }
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nConsole RSS: %.0f MB before the load, %.0f MB after (%s; after each endpoint: %s).%n%n",
            num(j.get("rss_mb_before")),
            num(j.get("rss_mb_after")),
            j.get("rss_of"),
            ((List<Object>) j.get("rss_mb_after_each_endpoint"))
                .stream().map(v -> String.format(Locale.ROOT, "%.0f", num(v))).toList()));
    Map<String, Map<String, Object>> targets = (Map<String, Map<String, Object>>) j.get("targets");
    for (Map<String, Object> t : targets.values()) {
      b.append(
          String.format(
              Locale.ROOT,
              "- %s: **%s** (%.2f)%n",
              t.get("what"),
              Boolean.TRUE.equals(t.get("met")) ? "met" : "not met",
              num(t.get("value"))));
    }
    Object note = j.get("note");
    if (note != null) {
      b.append("\n").append(note).append("\n");
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ helpers

  private static Map<String, Object> counts(Connections c) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    try (var conn = c.dataSource().getConnection();
        var s = conn.createStatement()) {
      for (String table : List.of("runs", "stages", "stage_attempts", "metrics")) {
        try (var rs = s.executeQuery("select count(*) from " + table)) {
          rs.next();
          m.put(table, rs.getLong(1));
        }
      }
    }
    return m;
  }

  /** EXPLAIN ANALYZE of the list queries as the API runs them (first page; after 9/10). */
  private Map<String, Object> plans(Connections c) throws Exception {
    String list =
        "select id, name, preset, status, team_id, created_by, created_at, started_at,"
            + " finished_at, error, reused_from_run, reuse_from_stage from runs where team_id = '"
            + ApiSeed.TEAM
            + "'%s order by created_at desc, id desc limit "
            + (PAGE + 1);
    int deep = (int) (0.9 * options.runs());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("list_first_page", explain(c, String.format(list, "")));
    m.put(
        "list_deep_cursor",
        explain(
            c,
            String.format(
                list,
                " and (created_at, id) < ((select created_at from runs where id = '"
                    + ApiSeed.runId(options.runs() - deep)
                    + "'), '"
                    + ApiSeed.runId(options.runs() - deep)
                    + "')")));
    m.put(
        "metric_series",
        explain(
            c,
            "select step, value from metrics where run_id = '"
                + ApiSeed.runId(1)
                + "' and stage = 'fine-tune' and name = 'base.loss' order by step"));
    return m;
  }

  private static List<String> explain(Connections c, String query) throws Exception {
    List<String> plan = new ArrayList<>();
    try (var conn = c.dataSource().getConnection();
        var s = conn.createStatement();
        var rs = s.executeQuery("explain (analyze, buffers) " + query)) {
      while (rs.next()) {
        plan.add(rs.getString(1));
      }
    }
    return plan;
  }

  private static String version() {
    return CodeVersion.ofBuild();
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : 0;
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
