package com.magicdistill.console.runs;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.auth.ApiCaller;
import com.magicdistill.console.pages.RunFiles;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.AttemptRow;
import com.magicdistill.db.CheckpointRow;
import com.magicdistill.db.MetricSeries;
import com.magicdistill.workflows.PipelineStage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What a run produced: attempts, checkpoints, metrics, the report and artifacts. */
@RestController
@RequestMapping("/api/v1/runs/{runId}")
@Tag(name = "Runs")
public class RunDataApiController {
  private final RunService runs;
  private final RunFiles files;
  private final ConsoleRepositories repositories;
  private final MetricSeries metrics;

  public RunDataApiController(
      RunService runs,
      RunFiles files,
      ConsoleRepositories repositories,
      com.magicdistill.console.platform.ConsoleBackends backends) {
    this.runs = runs;
    this.files = files;
    this.repositories = repositories;
    this.metrics = new MetricSeries(backends.dataSource());
  }

  @GetMapping("/stages/{stage}/attempts")
  @Operation(
      operationId = "listAttempts",
      summary = "A stage's attempts: worker, outcome (LOST and DRAINED are preemptions), steps")
  public List<AttemptRow> attempts(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String runId,
      @PathVariable String stage) {
    runs.find(caller.scope(), runId);
    requireStage(stage);
    return repositories.pipeline().stages().attempts(runId, stage);
  }

  /**
   * A checkpoint and whether retention deleted it; {@code checksum} is its tensor file's, with the
   * algorithm: {@code crc32c:<8 hex>} (or {@code sha256:<64 hex>} for one of the earlier format).
   */
  public record CheckpointView(
      long id,
      String stage,
      String objectKey,
      long step,
      long bytes,
      String checksum,
      Double metric,
      Instant createdAt,
      Instant deletedAt,
      boolean isResumePoint) {}

  @GetMapping("/checkpoints")
  @Operation(
      operationId = "listCheckpoints",
      summary = "Checkpoints per stage, newest first; the newest kept one is the resume point")
  public List<CheckpointView> checkpoints(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String runId,
      @RequestParam(required = false) String stage) {
    runs.find(caller.scope(), runId);
    List<String> stages =
        stage == null
            ? java.util.Arrays.stream(PipelineStage.values()).map(PipelineStage::slug).toList()
            : List.of(requireStage(stage).slug());
    List<CheckpointView> out = new java.util.ArrayList<>();
    for (String s : stages) {
      List<CheckpointRow> rows = repositories.pipeline().checkpoints().checkpoints(runId, s);
      CheckpointRow resume =
          rows.stream()
              .filter(c -> c.deletedAt() == null)
              .max(java.util.Comparator.comparingLong(CheckpointRow::step))
              .orElse(null);
      for (CheckpointRow c : rows) {
        out.add(
            new CheckpointView(
                c.id(),
                c.stage(),
                c.objectKey(),
                c.step(),
                c.bytes(),
                c.checksum(),
                c.metric(),
                c.createdAt(),
                c.deletedAt(),
                c == resume));
      }
    }
    return out;
  }

  @GetMapping("/metrics")
  @Operation(operationId = "listMetrics", summary = "The run's metric series (stage, name, steps)")
  public List<MetricSeries.SeriesInfo> metricCatalogue(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String runId) {
    runs.find(caller.scope(), runId);
    return metrics.catalogue(runId);
  }

  @GetMapping("/metrics/{stage}/{name}")
  @Operation(
      operationId = "getMetricSeries",
      summary = "One series, downsampled on the server to at most maxPoints [step, mean, min, max]")
  public MetricSeries.Series series(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String runId,
      @PathVariable String stage,
      @PathVariable String name,
      @Parameter(description = "2-10000, default 500") @RequestParam(defaultValue = "500")
          int maxPoints,
      @RequestParam(defaultValue = "0") long fromStep,
      @RequestParam(defaultValue = "9223372036854775807") long toStep) {
    runs.find(caller.scope(), runId);
    requireStage(stage);
    if (maxPoints < 2 || maxPoints > 10_000) {
      throw ApiException.badParameter("maxPoints", maxPoints, "use 2-10000");
    }
    if (fromStep < 0 || toStep < fromStep) {
      throw ApiException.badParameter("fromStep", fromStep, "use 0 <= fromStep <= toStep");
    }
    if (!name.matches("[A-Za-z0-9._:/-]{1,200}")) {
      throw ApiException.notFound("metric series");
    }
    return metrics.series(runId, stage, name, maxPoints, fromStep, toStep);
  }

  @GetMapping("/report")
  @Operation(operationId = "getReport", summary = "The evaluation report (evaluate/report.json)")
  public ResponseEntity<String> report(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String runId) throws IOException {
    String key =
        files
            .reportKey(caller.scope(), runId)
            .orElseThrow(() -> ApiException.notFound("the report of run " + runId));
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(new String(files.read(key), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** An artifact and where to fetch it. */
  public record ArtifactView(
      long id,
      String kind,
      String stage,
      String objectKey,
      long bytes,
      String sha256,
      Instant createdAt,
      String contentUrl) {}

  @GetMapping("/artifacts")
  @Operation(operationId = "listArtifacts", summary = "The run's artifacts with download links")
  public List<ArtifactView> artifacts(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String runId) {
    return files.artifacts(caller.scope(), runId).stream()
        .map(
            a ->
                new ArtifactView(
                    a.id(),
                    a.kind(),
                    a.stage(),
                    a.objectKey(),
                    a.bytes(),
                    a.sha256(),
                    a.createdAt(),
                    "/api/v1/runs/" + runId + "/artifacts/" + a.id() + "/content"))
        .toList();
  }

  @GetMapping("/artifacts/{artifactId}/content")
  @Operation(
      operationId = "downloadArtifact",
      summary = "An artifact's bytes (Range requests answer 206)")
  public ResponseEntity<Resource> content(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String runId,
      @PathVariable long artifactId)
      throws IOException {
    var a = files.artifact(caller.scope(), runId, artifactId);
    if (!files.exists(a.objectKey())) {
      // a model artifact names its package's prefix: its files are under /api/v1/models
      throw ApiException.notFound(
          "artifact "
              + artifactId
              + " as one file ("
              + ("model".equals(a.kind())
                  ? "a model package: see /api/v1/models"
                  : "its object is gone")
              + ")");
    }
    String fileName = a.objectKey().substring(a.objectKey().lastIndexOf('/') + 1);
    // Small files (clips, images, reports) are served from memory so Range works (video seeking).
    Resource body =
        a.bytes() <= PROXY_IN_MEMORY_BYTES
            ? new org.springframework.core.io.ByteArrayResource(files.read(a.objectKey())) {
              @Override
              public String getFilename() {
                return fileName;
              }
            }
            : new SizedResource(files.open(a.objectKey()), a.bytes(), fileName);
    return ResponseEntity.ok()
        .contentType(mediaType(fileName))
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.inline().filename(fileName).build().toString())
        .header("X-Content-Type-Options", "nosniff")
        .body(body);
  }

  static final long PROXY_IN_MEMORY_BYTES = 5L << 20;

  static MediaType mediaType(String fileName) {
    Map<String, MediaType> known =
        Map.of(
            "mp4", MediaType.parseMediaType("video/mp4"),
            "gif", MediaType.IMAGE_GIF,
            "png", MediaType.IMAGE_PNG,
            "json", MediaType.APPLICATION_JSON);
    int dot = fileName.lastIndexOf('.');
    return dot < 0
        ? MediaType.APPLICATION_OCTET_STREAM
        : known.getOrDefault(fileName.substring(dot + 1), MediaType.APPLICATION_OCTET_STREAM);
  }

  /** A stream with a known length, so MVC can answer Range requests (206). */
  static final class SizedResource extends InputStreamResource {
    private final long length;
    private final String name;

    SizedResource(InputStream in, long length, String name) {
      super(in);
      this.length = length;
      this.name = name;
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public String getFilename() {
      return name;
    }
  }

  static PipelineStage requireStage(String stage) {
    return PipelineStage.bySlug(stage)
        .orElseThrow(() -> ApiException.notFound("stage " + (stage.length() > 40 ? "?" : stage)));
  }
}
