package com.magicdistill.engine.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lineage and results of an exported generator (docs/ALGORITHM.md#export): what it was trained
 * from, how, and how well it did. Serialised as {@code model-card.json} (plus a human-readable
 * {@code model-card.md}) by {@link ModelPackage}.
 *
 * @param name model name, for example {@code magicdistill-w2s-4step}
 * @param method the distillation method, for example {@code w2s} or {@code dmd2}
 * @param runId the pipeline run that produced the weights
 * @param datasetManifestSha256 sha256 of the training data's {@code manifest.json}
 * @param teacherCheckpointSha256 sha256 of the teacher checkpoint's tensor file
 * @param hyperparameters every hyperparameter of the run, free-form (numbers, strings, booleans,
 *     lists, nested maps); sorted by key when written
 * @param metrics evaluation results by name (for example {@code vbench.avg}, {@code
 *     fvd.md-feat-v1})
 * @param createdAt ISO-8601 instant (UTC), for example {@code 2025-01-31T12:00:00Z}
 * @param codeVersion version of the code that trained the model (git commit or release)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
    String name,
    String method,
    String runId,
    String datasetManifestSha256,
    String teacherCheckpointSha256,
    Map<String, Object> hyperparameters,
    Map<String, Double> metrics,
    String createdAt,
    String codeVersion) {

  public ModelCard {
    require(name, "name");
    require(runId, "runId");
    require(createdAt, "createdAt");
    try {
      Instant.parse(createdAt);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "model card createdAt '"
              + createdAt
              + "' is not an ISO-8601 instant; use Instant.now().toString()",
          e);
    }
    checkSha(datasetManifestSha256, "datasetManifestSha256");
    checkSha(teacherCheckpointSha256, "teacherCheckpointSha256");
    hyperparameters =
        hyperparameters == null
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
    metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
  }

  /** A card created now. */
  public static ModelCard now(
      String name,
      String method,
      String runId,
      String datasetManifestSha256,
      String teacherCheckpointSha256,
      Map<String, Object> hyperparameters,
      Map<String, Double> metrics,
      String codeVersion) {
    return new ModelCard(
        name,
        method,
        runId,
        datasetManifestSha256,
        teacherCheckpointSha256,
        hyperparameters,
        metrics,
        Instant.now().toString(),
        codeVersion);
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("model card " + field + " is required");
    }
  }

  private static void checkSha(String value, String field) {
    if (value != null && !value.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "model card "
              + field
              + " '"
              + value
              + "' is not a lower-case hex sha256 (64 characters); pass the file's sha256 or null"
              + " if unknown");
    }
  }

  /** The card as markdown ({@code model-card.md}); {@code schedule} and the config are shown. */
  String markdown(String configJson, String scheduleLine, Map<String, String> files) {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(name).append("\n\n");
    b.append(
        "Few-step image-to-video generator distilled with the MagicDistillation recipe"
            + " (MagicDistill). Rectified flow: the network predicts velocity v = eps - x0;"
            + " sample with Euler over the schedule below, no classifier-free guidance.\n\n");
    b.append("## Lineage\n\n");
    b.append("| field | value |\n|---|---|\n");
    row(b, "method", method);
    row(b, "run id", runId);
    row(b, "dataset manifest sha256", datasetManifestSha256);
    row(b, "teacher checkpoint sha256", teacherCheckpointSha256);
    row(b, "created at", createdAt);
    row(b, "code version", codeVersion);
    b.append("\n## Sampler\n\n").append(scheduleLine).append("\n\n");
    b.append("## Metrics\n\n");
    if (metrics.isEmpty()) {
      b.append("(none recorded)\n\n");
    } else {
      b.append("| metric | value |\n|---|---|\n");
      for (Map.Entry<String, Double> e : metrics.entrySet()) {
        row(b, e.getKey(), String.format(Locale.ROOT, "%.6g", e.getValue()));
      }
      b.append('\n');
    }
    b.append("## Hyperparameters\n\n");
    if (hyperparameters.isEmpty()) {
      b.append("(none recorded)\n\n");
    } else {
      b.append("| name | value |\n|---|---|\n");
      for (Map.Entry<String, Object> e : hyperparameters.entrySet()) {
        row(b, e.getKey(), String.valueOf(e.getValue()));
      }
      b.append('\n');
    }
    b.append("## Architecture (config.json)\n\n```json\n").append(configJson).append("\n```\n\n");
    b.append("## Files\n\n| file | sha256 |\n|---|---|\n");
    Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(files));
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      row(b, e.getKey(), e.getValue());
    }
    b.append(
        "\nVerify with `sha256sum -c SHA256SUMS` in this folder (model-card.md itself is listed"
            + " there too). Format: docs/MODEL_PACKAGE.md.\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String key, String value) {
    b.append("| ")
        .append(key)
        .append(" | ")
        .append(value == null ? "-" : value.replace("|", "\\|"))
        .append(" |\n");
  }
}
