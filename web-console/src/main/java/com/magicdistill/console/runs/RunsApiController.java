package com.magicdistill.console.runs;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.api.FieldError;
import com.magicdistill.console.auth.ApiCaller;
import com.magicdistill.db.RunQueries;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/runs}: launch, list, read and steer a team's runs. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Runs")
public class RunsApiController {
  private final RunService runs;
  private final PresetCatalog presets;

  public RunsApiController(RunService runs, PresetCatalog presets) {
    this.runs = runs;
    this.presets = presets;
  }

  /** A preset's full spec. */
  public record Preset(String name, Map<String, Object> spec) {}

  @GetMapping("/presets")
  @Operation(operationId = "listPresets", summary = "The run presets with every field explicit")
  public List<Preset> presets() {
    List<Preset> out = new ArrayList<>();
    presets.all().forEach((n, s) -> out.add(new Preset(n, SpecJson.asMap(s))));
    return out;
  }

  @PostMapping("/runs/validate")
  @Operation(
      operationId = "validateRun",
      summary = "Dry run: resolve and check a run request without launching it")
  public RunViews.Validation validate(@RequestBody RunRequest request) {
    try {
      RunSpec spec = runs.validate(request);
      return new RunViews.Validation(true, List.of(), SpecJson.asMap(spec));
    } catch (ApiException e) {
      if (e.slug().equals("invalid-run-spec")) {
        return new RunViews.Validation(false, e.errors(), null);
      }
      throw e;
    }
  }

  @PostMapping("/runs")
  @Operation(
      operationId = "createRun",
      summary = "Launch a run",
      description =
          "201 with Location for a new run; 200 with Idempotent-Replayed: true when the same"
              + " Idempotency-Key (or run id) comes with the same request again; 422 when the key"
              + " came with another request. Always send an Idempotency-Key.")
  public ResponseEntity<RunViews.RunDetail> create(
      @AuthenticationPrincipal ApiCaller caller,
      @Parameter(description = "1-255 visible ASCII characters, e.g. a UUID")
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key,
      @RequestBody RunRequest request) {
    RunService.Created c =
        runs.create(new RunService.Launcher(caller.teamId(), caller.createdBy()), request, key);
    return created(c);
  }

  static ResponseEntity<RunViews.RunDetail> created(RunService.Created c) {
    if (c.replayed()) {
      return ResponseEntity.ok().header("Idempotent-Replayed", "true").body(c.run());
    }
    return ResponseEntity.created(URI.create("/api/v1/runs/" + c.run().id())).body(c.run());
  }

  @GetMapping("/runs")
  @Operation(
      operationId = "listRuns",
      summary = "The team's runs, newest first, keyset-paginated (stable while runs are added)")
  public ResponseEntity<RunViews.RunPage> list(
      @AuthenticationPrincipal ApiCaller caller,
      @Parameter(
              description = "comma list of QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED")
          @RequestParam(required = false)
          String status,
      @RequestParam(required = false) String preset,
      @Parameter(description = "prefix of the run id or name") @RequestParam(required = false)
          String q,
      @Parameter(description = "RFC 3339") @RequestParam(required = false) String createdAfter,
      @Parameter(description = "RFC 3339") @RequestParam(required = false) String createdBefore,
      @Parameter(description = "1-200, default 50") @RequestParam(defaultValue = "50") int limit,
      @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false)
          String cursor) {
    List<FieldError> errors = new ArrayList<>();
    Set<RunStatus> statuses = statuses(status, errors);
    Instant after = instant("createdAfter", createdAfter, errors);
    Instant before = instant("createdBefore", createdBefore, errors);
    if (limit < 1 || limit > RunQueries.MAX_LIMIT) {
      errors.add(new FieldError("limit", limit, "use 1-" + RunQueries.MAX_LIMIT));
    }
    if (q != null && (q.length() > 100 || hasControl(q))) {
      errors.add(new FieldError("q", null, "use at most 100 printable characters"));
    }
    if (preset != null && (preset.length() > 100 || hasControl(preset))) {
      errors.add(new FieldError("preset", null, "use at most 100 printable characters"));
    }
    RunQueries.Cursor c = null;
    try {
      c = RunCursor.decodeOrNull(cursor);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("cursor", null, e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    RunQueries.Page page =
        runs.list(
            caller.scope(), new RunQueries.RunFilter(statuses, preset, q, after, before), c, limit);
    String next = page.next() == null ? null : RunCursor.encode(page.next());
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
    if (next != null) {
      ok.header("Link", "</api/v1/runs?limit=" + limit + "&cursor=" + next + ">; rel=\"next\"");
    }
    return ok.body(new RunViews.RunPage(page.items(), next));
  }

  @GetMapping("/runs/counts")
  @Operation(operationId = "countRuns", summary = "How many of the team's runs are in each status")
  public List<RunQueries.StatusCount> counts(@AuthenticationPrincipal ApiCaller caller) {
    return runs.counts(caller.scope());
  }

  @GetMapping("/runs/{runId}")
  @Operation(
      operationId = "getRun",
      summary = "A run: spec, stages, attempt counts and live progress (weak ETag; 304)")
  public ResponseEntity<RunViews.RunDetail> get(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String runId,
      @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
    RunViews.RunDetail d = runs.detail(caller.scope(), runId);
    String etag = etag(d);
    if (etag.equals(ifNoneMatch)) {
      return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
    }
    return ResponseEntity.ok().eTag(etag).body(d);
  }

  static String etag(Object o) {
    return "W/\"" + SpecJson.sha256(o.toString()).substring(0, 16) + "\"";
  }

  @PostMapping("/runs/{runId}/pause")
  @Operation(
      operationId = "pauseRun",
      summary = "Pause at the next checkpoint (202; repeats are no-ops)")
  public ResponseEntity<RunViews.RunDetail> pause(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String runId) {
    return ResponseEntity.accepted().body(runs.pause(caller.scope(), runId));
  }

  @PostMapping("/runs/{runId}/resume")
  @Operation(operationId = "resumeRun", summary = "Resume a paused run (202)")
  public ResponseEntity<RunViews.RunDetail> resume(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String runId) {
    return ResponseEntity.accepted().body(runs.resume(caller.scope(), runId));
  }

  @PostMapping("/runs/{runId}/cancel")
  @Operation(operationId = "cancelRun", summary = "Cancel a run, saying why (202)")
  public ResponseEntity<RunViews.RunDetail> cancel(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String runId,
      @RequestBody CancelRequest request) {
    return ResponseEntity.accepted().body(runs.cancel(caller.scope(), runId, request.reason()));
  }

  @PostMapping("/runs/{runId}/rerun")
  @Operation(
      operationId = "rerunRun",
      summary = "A new run from this run's spec, optionally from a stage reusing earlier outputs")
  public ResponseEntity<RunViews.RunDetail> rerun(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String runId,
      @RequestHeader(name = "Idempotency-Key", required = false) String key,
      @RequestBody(required = false) RerunRequest request) {
    return created(
        runs.rerun(
            new RunService.Launcher(caller.teamId(), caller.createdBy()),
            caller.scope(),
            runId,
            request,
            key));
  }

  /** PostgreSQL text cannot hold NUL; other control characters are never meant. */
  static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static Set<RunStatus> statuses(String s, List<FieldError> errors) {
    Set<RunStatus> out = EnumSet.noneOf(RunStatus.class);
    if (s == null || s.isBlank()) {
      return out;
    }
    for (String part : s.split(",")) {
      try {
        out.add(RunStatus.valueOf(part.strip().toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        errors.add(
            new FieldError(
                "status",
                part.length() > 40 ? part.substring(0, 40) : part,
                "use a comma list of " + List.of(RunStatus.values())));
        return out;
      }
    }
    return out;
  }

  private static Instant instant(String field, String s, List<FieldError> errors) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              field,
              s.length() > 40 ? s.substring(0, 40) : s,
              "use RFC 3339, e.g. 2026-12-01T00:00:00Z"));
      return null;
    }
  }
}
