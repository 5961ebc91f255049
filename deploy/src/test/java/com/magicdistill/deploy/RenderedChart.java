package com.magicdistill.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chart rendered by the embedded Helm ({@code helm template}) for one values file, as untyped
 * objects; the text is also written to {@code deploy/target/rendered/} for reading.
 *
 * @param valuesFile the values file, relative to the chart
 * @param text the rendered multi-document YAML
 * @param objects every non-empty document, in order
 */
record RenderedChart(String valuesFile, String text, List<Map<String, Object>> objects) {
  static final String RELEASE = "md";
  static final String NAMESPACE = "magicdistill";
  static final String KUBE_VERSION = "1.30.0";

  static Path repoRoot() {
    return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  }

  static Path chartDir() {
    return repoRoot().resolve("deploy/helm/magicdistill");
  }

  static RenderedChart render(String valuesFile) throws IOException {
    return render(chartDir(), valuesFile);
  }

  /** {@code valuesFile} null: the chart's values.yaml only. */
  static RenderedChart render(Path chart, String valuesFile) throws IOException {
    var template =
        new Helm(chart)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    if (valuesFile != null) {
      template = template.withValuesFile(chart.resolve(valuesFile));
    }
    String text = template.call();
    String label = valuesFile == null ? "values.yaml" : valuesFile;
    String dir =
        chart.equals(chartDir()) ? "rendered" : "rendered-" + chart.getParent().getFileName();
    Path out = repoRoot().resolve("deploy/target/" + dir + "/" + label);
    Files.createDirectories(out.getParent());
    Files.writeString(out, text);
    return new RenderedChart(label, text, parse(text));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> parse(String yaml) throws IOException {
    var mapper = new ObjectMapper(new YAMLFactory());
    List<Map<String, Object>> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
      var it = mapper.readValues(parser, Map.class);
      while (it.hasNext()) {
        Map<String, Object> doc = it.next();
        if (doc != null && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  Map<String, Object> named(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(Yaml.str(o, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(valuesFile + ": no " + kind + " " + name));
  }
}
