package com.magicdistill.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart in deploy/helm/magicdistill: lints strictly, renders with each values file, every
 * object parses strictly as Kubernetes (or KEDA, PodMonitor), the workloads keep the deploy
 * invariants (docs in deploy/README.md), and every MAGIC_* variable the code reads can be set from
 * values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartTest {
  static final String MIGRATE_TEMPLATE = "templates/job-migrate.yaml";
  static final List<String> VALUES_FILES =
      List.of("values.yaml", "values-laptop.yaml", "values-spot.yaml", "values-ci.yaml");

  /**
   * Read by the code but deliberately not settable from the chart: embedded-stack internals that
   * the launcher sets for its own child processes.
   */
  static final Set<String> INTERNAL =
      Set.of(
          "MAGIC_TEMPORAL_EMBEDDED", // the launcher marks its embedded test server (never a
          // cluster)
          "MAGIC_S3PROXY_JAR", // where the embedded S3Proxy jar lives (never a cluster)
          "MAGIC_FAULT_STAGE_ERROR"); // fault tests make a stage fail on purpose (never a cluster)

  /**
   * Set by the chart ahead of the code (issue 10: roles, drain deadline, management port,
   * migrations, TLS/API key, heartbeat interval). The reverse drift check accepts these while the
   * code does not read them yet; once it does, the entry is redundant and can go.
   */
  static final Set<String> PLANNED =
      Set.of("MAGIC_LOG_LEVEL"); // only values-ci's config.extra example; read by ./magic

  /** Never in a ConfigMap: only by secretKeyRef. */
  static final Set<String> SECRET_VARS =
      Set.of(
          "MAGIC_JDBC_USER",
          "MAGIC_JDBC_PASSWORD",
          "MAGIC_S3_ACCESS_KEY",
          "MAGIC_S3_SECRET_KEY",
          "MAGIC_TEMPORAL_API_KEY",
          "MAGIC_ADMIN_PASSWORD",
          "MAGIC_CONSOLE_ENCRYPTION_KEY");

  private final Map<String, RenderedChart> rendered = new HashMap<>();
  private final KubeStrict kube = new KubeStrict();

  @BeforeAll
  void render() throws IOException {
    for (String f : VALUES_FILES) {
      rendered.put(f, RenderedChart.render(f.equals("values.yaml") ? null : f));
    }
  }

  @Test
  void lintsStrictly() {
    var result = new Helm(RenderedChart.chartDir()).lint().strict().call();
    assertFalse(result.isFailed(), "helm lint --strict: " + result.getMessages());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"values.yaml", "values-laptop.yaml", "values-spot.yaml", "values-ci.yaml"})
  void everyObjectIsAValidKubernetesOrKedaObject(String values) {
    RenderedChart chart = rendered.get(values);
    assertFalse(chart.objects().isEmpty(), values + " rendered nothing");
    List<String> errors = new ArrayList<>();
    for (Map<String, Object> o : chart.objects()) {
      String kind = (String) o.get("kind");
      try {
        if (KubeStrict.builtInKinds().contains(kind)) {
          kube.parse(o);
        } else if ("ScaledObject".equals(kind)) {
          errors.addAll(KedaScaledObject.errors(o, kube));
        } else if ("PodMonitor".equals(kind)) {
          errors.addAll(podMonitorErrors(o));
        } else {
          errors.add(values + ": kind " + kind + " is not validated by this test");
        }
      } catch (AssertionError e) {
        errors.add(values + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), errors);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"values.yaml", "values-laptop.yaml", "values-spot.yaml", "values-ci.yaml"})
  void workersKeepTheDeployInvariants(String values) {
    RenderedChart chart = rendered.get(values);
    for (Map<String, Object> d : chart.ofKind("Deployment")) {
      String name = Yaml.str(d, "metadata", "name");
      Map<String, Object> pod = Yaml.map(d, "spec", "template", "spec");
      for (Map<String, Object> c : Yaml.maps(pod, "containers")) {
        // The image entrypoint must stay PID 1 to get SIGTERM (no shell, no preStop drain).
        assertNull(c.get("command"), name + " overrides the image command");
        for (Map<String, Object> e : Yaml.maps(c, "env")) {
          String var = (String) e.get("name");
          if (SECRET_VARS.contains(var)) {
            assertNotNull(Yaml.get(e, "valueFrom", "secretKeyRef"), name + ": " + var);
          }
        }
      }
      Map<String, Object> worker = Yaml.maps(pod, "containers").get(0);
      List<Object> a = Yaml.list(worker, "args");
      if (a.isEmpty() || !"worker".equals(a.get(0))) {
        continue; // console
      }
      assertEquals(1, Yaml.list(pod, "containers").size(), name + ": one container");
      int grace = (Integer) pod.get("terminationGracePeriodSeconds");
      assertEquals(
          String.valueOf(grace - 10),
          env(worker, "MAGIC_DRAIN_SECONDS"),
          name + ": drain = T - 10");
      assertEquals("validate", env(worker, "MAGIC_DB_MIGRATE"), name + ": workers never migrate");
      assertEquals(
          "metadata.name",
          Yaml.str(
              envEntry(worker, "MAGIC_WORKER_IDENTITY"), "valueFrom", "fieldRef", "fieldPath"));
      if (a.contains("pipeline")) {
        assertEquals(List.of("worker", "--role", "pipeline"), a, name);
        continue;
      }
      assertEquals(List.of("worker", "--role", "stages", "--queue"), a.subList(0, 4), name);
      assertEquals("--slots", a.get(5), name);
      assertEquals("RollingUpdate", Yaml.str(d, "spec", "strategy", "type"));
      assertEquals(
          0, Yaml.get(d, "spec", "strategy", "rollingUpdate", "maxSurge"), name + ": GPU surge");
      Object gpus = Yaml.get(worker, "resources", "limits", "nvidia.com/gpu");
      if (gpus != null) {
        assertTrue(((Integer) gpus) > 0, name);
        assertTrue(
            Yaml.maps(pod, "tolerations").stream()
                .anyMatch(t -> "nvidia.com/gpu".equals(t.get("key"))),
            name + ": GPU pool without the nvidia.com/gpu toleration");
        assertFalse(
            Yaml.map(pod, "nodeSelector").isEmpty(), name + ": GPU pool without nodeSelector");
      }
      // One PDB selects exactly this workload.
      Map<String, Object> selector = Yaml.map(d, "spec", "selector", "matchLabels");
      long pdbs =
          chart.ofKind("PodDisruptionBudget").stream()
              .filter(p -> Yaml.map(p, "spec", "selector", "matchLabels").equals(selector))
              .count();
      assertEquals(1, pdbs, name + ": PodDisruptionBudgets");
    }
    for (Map<String, Object> pdb : chart.ofKind("PodDisruptionBudget")) {
      Map<String, Object> sel = Yaml.map(pdb, "spec", "selector", "matchLabels");
      long matching =
          chart.ofKind("Deployment").stream()
              .filter(d -> labelsMatch(Yaml.map(d, "spec", "template", "metadata", "labels"), sel))
              .count();
      assertEquals(1, matching, Yaml.str(pdb, "metadata", "name") + " selects one workload");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"values.yaml", "values-spot.yaml", "values-ci.yaml"})
  void scaledPoolsScaleOnBusySlotsAndBacklog(String values) {
    RenderedChart chart = rendered.get(values);
    List<Map<String, Object>> scaled = chart.ofKind("ScaledObject");
    assertFalse(scaled.isEmpty(), values + ": no ScaledObject");
    for (Map<String, Object> so : scaled) {
      String target = Yaml.str(so, "spec", "scaleTargetRef", "name");
      Map<String, Object> d = chart.named("Deployment", target);
      assertNull(Yaml.get(d, "spec", "replicas"), target + ": replicas fight the HPA");
      List<Object> args =
          Yaml.list(Yaml.maps(d, "spec", "template", "spec", "containers").get(0), "args");
      String queue = (String) args.get(4);
      String slots = (String) args.get(6);
      Map<String, Map<String, Object>> byType = new HashMap<>();
      Yaml.maps(so, "spec", "triggers").forEach(t -> byType.put((String) t.get("type"), t));
      assertEquals(Set.of("temporal", "prometheus"), byType.keySet(), target);
      assertEquals(queue, Yaml.str(byType.get("temporal"), "metadata", "taskQueue"));
      assertEquals("activity", Yaml.str(byType.get("temporal"), "metadata", "queueTypes"));
      String query = Yaml.str(byType.get("prometheus"), "metadata", "query");
      assertTrue(
          query.contains(
              "temporal_worker_task_slots_used{worker_type=\"ActivityWorker\",task_queue=\""
                  + queue
                  + "\""),
          query);
      assertTrue(query.contains("approximate_backlog_count{taskqueue=\"" + queue + "\""), query);
      assertEquals(
          slots, Yaml.str(byType.get("prometheus"), "metadata", "threshold"), "threshold = slots");
    }
  }

  @Test
  void laptopHasNoKedaAndFixedReplicas() {
    RenderedChart chart = rendered.get("values-laptop.yaml");
    assertEquals(List.of(), chart.ofKind("ScaledObject"));
    for (Map<String, Object> d : chart.ofKind("Deployment")) {
      assertNotNull(Yaml.get(d, "spec", "replicas"), Yaml.str(d, "metadata", "name"));
    }
  }

  @Test
  void migrationJobIsAPreInstallAndPreUpgradeHook() throws IOException {
    String template = Files.readString(RenderedChart.chartDir().resolve(MIGRATE_TEMPLATE));
    assertTrue(template.contains("helm.sh/hook: pre-install,pre-upgrade"), template);
    assertTrue(template.contains("helm.sh/hook-delete-policy: before-hook-creation"), template);
  }

  /**
   * helm-java's template leaves hooks out, so the Job is rendered from a copy of the chart whose
   * migration template has its hook annotations removed.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"values.yaml", "values-laptop.yaml", "values-spot.yaml", "values-ci.yaml"})
  void migrationJobRunsDbMigrateOnADirectConnection(String values) throws IOException {
    Path copy = hooklessChart();
    RenderedChart chart = RenderedChart.render(copy, values.equals("values.yaml") ? null : values);
    List<Map<String, Object>> jobs = chart.ofKind("Job");
    assertEquals(1, jobs.size(), values);
    Map<String, Object> job = jobs.get(0);
    kube.parse(job);
    Map<String, Object> c = Yaml.maps(job, "spec", "template", "spec", "containers").get(0);
    assertEquals(List.of("db", "migrate"), Yaml.list(c, "args"));
    assertNull(c.get("command"));
    // A pre-install hook runs before the release's ConfigMap exists: inline env only.
    assertTrue(Yaml.list(c, "envFrom").isEmpty(), "migration Job reads the ConfigMap");
    assertEquals("migrate", env(c, "MAGIC_DB_MIGRATE"));
    Map<String, Object> config = Yaml.map(chart.ofKind("ConfigMap").get(0), "data");
    for (String var : config.keySet()) {
      assertNotNull(envEntry(c, var), "migration Job lacks " + var);
    }
    assertFalse(
        env(c, "MAGIC_JDBC_URL").contains("pooler"), "Flyway's lock needs a direct connection");
  }

  private static Path hooklessChart() throws IOException {
    Path src = RenderedChart.chartDir();
    Path dst = RenderedChart.repoRoot().resolve("deploy/target/chart-hookless/magicdistill");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = dst.resolve(src.relativize(f).toString());
        Files.createDirectories(to.getParent());
        String text = Files.readString(f);
        if (f.endsWith(MIGRATE_TEMPLATE)) {
          text = text.replaceAll("(?m)^\\s*helm\\.sh/hook[-a-z]*:.*\\n", "");
        }
        Files.writeString(to, text);
      }
    }
    return dst;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"values.yaml", "values-laptop.yaml", "values-spot.yaml", "values-ci.yaml"})
  void configMapHoldsNoSecret(String values) {
    for (Map<String, Object> cm : rendered.get(values).ofKind("ConfigMap")) {
      Set<String> keys = Yaml.map(cm, "data").keySet();
      for (String k : keys) {
        assertFalse(SECRET_VARS.contains(k) || k.contains("PASSWORD") || k.contains("SECRET"), k);
      }
    }
  }

  @Test
  void everyVariableTheCodeReadsIsSettableFromValues() throws IOException {
    Set<String> code = CodeEnvVars.read(RenderedChart.repoRoot());
    assertTrue(code.contains("MAGIC_JDBC_URL"), "source scan found " + code);
    Set<String> chart = settable(rendered.get("values-ci.yaml"));
    Set<String> missing = new TreeSet<>(code);
    missing.removeAll(INTERNAL);
    missing.removeAll(chart);
    assertEquals(
        Set.of(), missing, "MAGIC_* read by the code but not settable from the chart's values");
  }

  @Test
  void everyVariableTheChartSetsIsReadByTheCodeOrPlanned() throws IOException {
    Set<String> code = CodeEnvVars.read(RenderedChart.repoRoot());
    Set<String> unknown = new TreeSet<>(settable(rendered.get("values-ci.yaml")));
    unknown.removeAll(code);
    unknown.removeAll(PLANNED);
    assertEquals(Set.of(), unknown, "MAGIC_* set by the chart that no code reads (typo?)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "workerPools: [{name: gpu, queue: gpu, nodeSelecter: {a: b}}]",
        "workerPools: [{name: gpu, queue: gpu, terminationGracePeriodSeconds: 10}]",
        "workerPools: [{name: GPU_1, queue: gpu}]",
        "config: {extra: {MAGIC_S3_SECRET_KEY: x}}",
        "s3: {endpoint: s3.local:9000}"
      })
  void valuesSchemaRejects(String bad) throws IOException {
    Path values = RenderedChart.repoRoot().resolve("deploy/target/bad-values.yaml");
    Files.writeString(values, bad + "\n");
    var template = new Helm(RenderedChart.chartDir()).template().withValuesFile(values);
    Exception e = assertThrows(Exception.class, template::call, bad);
    assertTrue(e.getMessage().contains("schema"), e.getMessage());
  }

  @Test
  void platformManifestsAreYaml() throws IOException {
    Path platform = RenderedChart.repoRoot().resolve("deploy/platform");
    try (Stream<Path> files = Files.list(platform)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        List<Map<String, Object>> docs = RenderedChart.parse(Files.readString(f));
        assertFalse(docs.isEmpty(), f.toString());
        for (Map<String, Object> d : docs) {
          if (d.containsKey("kind")) {
            assertNotNull(d.get("apiVersion"), f + ": " + d.get("kind"));
            assertNotNull(Yaml.str(d, "metadata", "name"), f + ": " + d.get("kind"));
          }
        }
      }
    }
  }

  /** MAGIC_* names a rendered chart sets: ConfigMap keys and container env names. */
  static Set<String> settable(RenderedChart chart) {
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> cm : chart.ofKind("ConfigMap")) {
      names.addAll(Yaml.map(cm, "data").keySet());
    }
    for (Map<String, Object> o : chart.objects()) {
      for (Map<String, Object> c : Yaml.maps(o, "spec", "template", "spec", "containers")) {
        Yaml.maps(c, "env").forEach(e -> names.add((String) e.get("name")));
      }
    }
    names.removeIf(n -> !n.startsWith("MAGIC_"));
    return names;
  }

  private static Map<String, Object> envEntry(Map<String, Object> container, String name) {
    return Yaml.maps(container, "env").stream()
        .filter(e -> name.equals(e.get("name")))
        .findFirst()
        .orElse(null);
  }

  private static String env(Map<String, Object> container, String name) {
    Map<String, Object> e = envEntry(container, name);
    if (e == null) {
      fail("no env " + name);
    }
    return Yaml.str(e, "value");
  }

  private static boolean labelsMatch(Map<String, Object> labels, Map<String, Object> selector) {
    return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }

  private static List<String> podMonitorErrors(Map<String, Object> pm) {
    List<String> errs = new ArrayList<>();
    String name = Yaml.str(pm, "metadata", "name");
    if (!"monitoring.coreos.com/v1".equals(pm.get("apiVersion"))) {
      errs.add(name + ": apiVersion " + pm.get("apiVersion"));
    }
    Set<String> spec = Yaml.map(pm, "spec").keySet();
    if (!Set.of("selector", "podMetricsEndpoints").containsAll(spec)) {
      errs.add(name + ": unknown spec fields " + spec);
    }
    for (Map<String, Object> ep : Yaml.maps(pm, "spec", "podMetricsEndpoints")) {
      if (!Set.of("port", "path", "interval").containsAll(ep.keySet()) || ep.get("port") == null) {
        errs.add(name + ": endpoint " + ep);
      }
    }
    return errs;
  }
}
