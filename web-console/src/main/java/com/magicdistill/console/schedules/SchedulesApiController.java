package com.magicdistill.console.schedules;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.api.FieldError;
import com.magicdistill.console.auth.ApiCaller;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.runs.RunRequest;
import com.magicdistill.console.runs.RunService;
import com.magicdistill.console.runs.SpecJson;
import com.magicdistill.db.ScheduleRepository;
import com.magicdistill.db.ScheduleRepository.ScheduleRow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/schedules}: runs launched on a cron schedule (periodic re-distillation). */
@RestController
@RequestMapping("/api/v1/schedules")
@Tag(name = "Runs")
public class SchedulesApiController {
  private final ScheduleRepository schedules;
  private final RunService runs;

  public SchedulesApiController(ConsoleBackends backends, RunService runs) {
    this.schedules = new ScheduleRepository(backends.dataSource());
    this.runs = runs;
  }

  /** What to create. */
  public record ScheduleRequest(
      @Schema(description = "a label, 1-100 characters") String name,
      @Schema(
              description = "Spring cron in UTC: second minute hour day month weekday",
              example = "0 0 3 * * MON")
          String cron,
      @Schema(description = "the run to launch at each tick (as POST /runs; runId must be absent)")
          RunRequest run) {}

  /** A schedule and when it last fired. */
  public record ScheduleView(
      String id,
      String name,
      String cron,
      Map<String, Object> run,
      String createdBy,
      Instant createdAt,
      boolean enabled,
      Instant lastTickAt) {}

  @PostMapping
  @Operation(operationId = "createSchedule", summary = "Launch a run on a cron schedule")
  public ResponseEntity<ScheduleView> create(
      @AuthenticationPrincipal ApiCaller caller, @RequestBody ScheduleRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
      errors.add(new FieldError("name", null, "use 1-100 characters"));
    }
    if (request.cron() == null || !CronExpression.isValidExpression(request.cron())) {
      errors.add(
          new FieldError(
              "cron", request.cron(), "use six fields: second minute hour day month weekday"));
    }
    if (request.run() == null) {
      errors.add(new FieldError("run", null, "give the run to launch (as for POST /runs)"));
    } else if (request.run().runId() != null) {
      errors.add(
          new FieldError(
              "run.runId", request.run().runId(), "leave it out: each tick gets its own id"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    runs.validate(request.run()); // invalid-run-spec, naming the fields
    ScheduleRow row =
        schedules.create(
            "sch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
            caller.teamId(),
            request.name(),
            request.cron(),
            SpecJson.writeRequest(request.run()),
            caller.createdBy());
    return ResponseEntity.created(URI.create("/api/v1/schedules/" + row.id())).body(view(row));
  }

  @GetMapping
  @Operation(operationId = "listSchedules", summary = "The team's schedules")
  public List<ScheduleView> list(@AuthenticationPrincipal ApiCaller caller) {
    return schedules.list(caller.scope()).stream().map(SchedulesApiController::view).toList();
  }

  @DeleteMapping("/{scheduleId}")
  @Operation(operationId = "deleteSchedule", summary = "Stop and delete a schedule (204)")
  public ResponseEntity<Void> delete(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String scheduleId) {
    if (!scheduleId.matches("sch_[0-9a-f]{16}") || !schedules.delete(caller.scope(), scheduleId)) {
      throw ApiException.notFound("schedule");
    }
    return ResponseEntity.noContent().build();
  }

  static ScheduleView view(ScheduleRow s) {
    return new ScheduleView(
        s.id(),
        s.name(),
        s.cron(),
        SpecJson.asMap(s.requestJson()),
        s.createdBy(),
        s.createdAt(),
        s.enabled(),
        s.lastTickAt());
  }
}
