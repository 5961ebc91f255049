package com.magicdistill.console.models;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.auth.ApiCaller;
import com.magicdistill.console.pages.RunFiles;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.runs.SpecJson;
import com.magicdistill.db.ModelQueries;
import com.magicdistill.db.ModelQueries.ModelRow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
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

/** {@code /api/v1/models}: the team's exported model packages and their files. */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models")
public class ModelsApiController {
  private final ModelQueries models;
  private final ConsoleBackends backends;

  public ModelsApiController(ConsoleBackends backends) {
    this.models = new ModelQueries(backends.dataSource());
    this.backends = backends;
  }

  /** An exported package, its lineage (run, stage outputs) and its metrics. */
  public record ModelView(
      long id,
      String name,
      String runId,
      String runName,
      String objectPrefix,
      String manifestSha256,
      Map<String, Object> metrics,
      Instant createdAt,
      String filesUrl) {}

  /** One file of a package. */
  public record ModelFile(String name, String contentUrl) {}

  @GetMapping
  @Operation(operationId = "listModels", summary = "The team's exported models, newest first")
  public List<ModelView> list(
      @AuthenticationPrincipal ApiCaller caller,
      @Parameter(description = "1-200, default 50") @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > 200) {
      throw ApiException.badParameter("limit", limit, "use 1-200");
    }
    return models.list(caller.scope(), limit).stream().map(ModelsApiController::view).toList();
  }

  @GetMapping("/{modelId}")
  @Operation(operationId = "getModel", summary = "One exported model")
  public ModelView get(@AuthenticationPrincipal ApiCaller caller, @PathVariable long modelId) {
    return view(find(caller, modelId));
  }

  @GetMapping("/{modelId}/files")
  @Operation(operationId = "listModelFiles", summary = "The files of a model package")
  public List<ModelFile> files(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable long modelId) throws IOException {
    ModelRow m = find(caller, modelId);
    String prefix = prefix(m);
    return backends.store().list(prefix).stream()
        .filter(k -> RunFiles.isUnder(k, prefix))
        .map(k -> k.substring(prefix.length()))
        .filter(n -> !n.contains("/"))
        .map(n -> new ModelFile(n, "/api/v1/models/" + modelId + "/files/" + n))
        .toList();
  }

  @GetMapping("/{modelId}/files/{fileName}")
  @Operation(operationId = "downloadModelFile", summary = "One file of a model package")
  public ResponseEntity<Resource> file(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable long modelId,
      @PathVariable String fileName)
      throws IOException {
    ModelRow m = find(caller, modelId);
    String key = prefix(m) + fileName;
    if (!RunFiles.isUnder(key, prefix(m))
        || fileName.contains("/")
        || !backends.store().exists(key)) {
      throw ApiException.notFound("file " + (fileName.length() > 60 ? "?" : fileName));
    }
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(fileName).build().toString())
        .body(new InputStreamResource(backends.store().openStream(key)));
  }

  private ModelRow find(ApiCaller caller, long id) {
    return models.find(caller.scope(), id).orElseThrow(() -> ApiException.notFound("model " + id));
  }

  private static String prefix(ModelRow m) {
    String p = m.objectPrefix();
    String prefix = p.endsWith("/") ? p : p + "/";
    if (!prefix.startsWith("runs/" + m.runId() + "/")) {
      throw ApiException.notFound("model files");
    }
    return prefix;
  }

  static ModelView view(ModelRow m) {
    return new ModelView(
        m.id(),
        m.name(),
        m.runId(),
        m.runName(),
        m.objectPrefix(),
        m.manifestSha256(),
        m.metricsJson() == null ? Map.of() : SpecJson.asMap(m.metricsJson()),
        m.createdAt(),
        "/api/v1/models/" + m.id() + "/files");
  }
}
