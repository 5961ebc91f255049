package com.magicdistill.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.magicdistill.console.audit.AuditLog;
import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.AttemptRow;
import com.magicdistill.db.CheckpointRow;
import com.magicdistill.db.MetricSeries;
import com.magicdistill.db.RunQueries.RunDetailRow;
import com.magicdistill.db.TeamScope;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The run page: live stage timeline over SSE, the actions the run's status allows (pause, resume,
 * cancel with a reason, rerun from a stage, run again), and tabs for metrics, attempts,
 * checkpoints, samples, evaluation, the spec and the event feed. Another team's run is 404.
 */
@Controller
public class RunDetailPagesController {
  private static final Logger LOG = LoggerFactory.getLogger(RunDetailPagesController.class);
  static final Set<String> TABS =
      Set.of("metrics", "attempts", "checkpoints", "samples", "evaluation", "spec", "events");

  private final ConsoleRepositories repositories;
  private final ConsoleBackends backends;
  private final RunLive live;
  private final RunStreams streams;
  private final PageQueries queries;
  private final RunFiles files;
  private final ConsoleLaunches launches;
  private final AuditLog audit;

  public RunDetailPagesController(
      ConsoleRepositories repositories,
      ConsoleBackends backends,
      RunLive live,
      RunStreams streams,
      PageQueries queries,
      RunFiles files,
      ConsoleLaunches launches,
      AuditLog audit) {
    this.repositories = repositories;
    this.backends = backends;
    this.live = live;
    this.streams = streams;
    this.queries = queries;
    this.files = files;
    this.launches = launches;
    this.audit = audit;
  }

  RunDetailRow run(ConsoleUser user, String id) {
    return repositories
        .runs()
        .find(user.scope(), id)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such run"));
  }

  @GetMapping("/runs/{id}")
  String page(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      @RequestParam(defaultValue = "metrics") String tab,
      Model model) {
    RunDetailRow run = run(user, id);
    String t = TABS.contains(tab) ? tab : "metrics";
    model.addAttribute("run", run);
    model.addAttribute("tab", t);
    Map<String, Object> liveVars = liveVars(run);
    model.addAllAttributes(liveVars);
    // The buttons as the stream renders them, and their digest: the stream then sends them again
    // only when they change, not once on connecting (which would close an open Cancel dialog).
    String actions = streams.render("fragments", "actions", liveVars);
    model.addAttribute("actionsHtml", actions);
    model.addAttribute("actionsShown", SpecJson.sha256(actions));
    RunSpec spec = null;
    try {
      spec = SpecJson.read(run.specJson());
    } catch (RuntimeException e) {
      // an old or hand-edited spec: the spec tab still shows the text
    }
    model.addAttribute("spec", spec);
    switch (t) {
      case "metrics" ->
          model.addAttribute(
              "series",
              queries.metrics().catalogueAsRecorded(id).stream()
                  .filter(s -> s.name().endsWith("loss") || s.name().contains("grad_norm"))
                  .filter(s -> s.points() > 1)
                  .toList());
      case "attempts" -> attempts(id, model);
      case "checkpoints" -> {
        Map<String, List<CheckpointRow>> byStage = new LinkedHashMap<>();
        for (PipelineStage s : PipelineStage.values()) {
          List<CheckpointRow> rows =
              repositories.pipeline().checkpoints().checkpoints(id, s.slug());
          if (!rows.isEmpty()) {
            byStage.put(s.slug(), rows);
          }
        }
        Map<String, Long> resumePoints = new LinkedHashMap<>();
        byStage.forEach(
            (stage, rows) ->
                rows.stream()
                    .filter(c -> c.deletedAt() == null)
                    .max((a, b) -> Long.compare(a.step(), b.step()))
                    .ifPresent(c -> resumePoints.put(stage, c.id())));
        model.addAttribute("checkpoints", byStage);
        model.addAttribute("resumePoints", resumePoints);
      }
      case "samples" -> model.addAttribute("samples", files.samples(id));
      case "evaluation" -> {
        Map<String, JsonNode> reports = new LinkedHashMap<>();
        reports.put(id, files.report(id).orElse(null));
        model.addAttribute("table", EvalTable.of(reports));
        model.addAttribute("report", files.report(id).map(JsonNode::toPrettyString).orElse(null));
      }
      case "spec" -> model.addAttribute("specText", SpecJson.pretty(run.specJson()));
      case "events" -> model.addAttribute("events", queries.events(id, 200));
      default -> {}
    }
    return "run";
  }

  /** Attempts as a timeline: each bar placed by start and end within the run's time span. */
  public record AttemptBar(AttemptRow attempt, double left, double width, boolean preemption) {}

  private void attempts(String id, Model model) {
    List<AttemptRow> all = new ArrayList<>();
    for (PipelineStage s : PipelineStage.values()) {
      all.addAll(repositories.pipeline().stages().attempts(id, s.slug()));
    }
    Instant start =
        all.stream().map(AttemptRow::startedAt).min(Instant::compareTo).orElse(Instant.now());
    Instant end =
        all.stream()
            .map(a -> a.endedAt() == null ? Instant.now() : a.endedAt())
            .max(Instant::compareTo)
            .orElse(Instant.now());
    double span = Math.max(1, end.toEpochMilli() - start.toEpochMilli());
    List<AttemptBar> bars = new ArrayList<>();
    for (AttemptRow a : all) {
      long s = a.startedAt().toEpochMilli() - start.toEpochMilli();
      long e =
          (a.endedAt() == null ? Instant.now() : a.endedAt()).toEpochMilli() - start.toEpochMilli();
      double left = Math.round(1000 * s / span) / 10.0;
      double width = Math.max(0.5, Math.round(1000 * (e - s) / span) / 10.0);
      boolean preempted = a.outcome().name().equals("LOST") || a.outcome().name().equals("DRAINED");
      bars.add(new AttemptBar(a, left, Math.min(width, 100 - left), preempted));
    }
    model.addAttribute("bars", bars);
  }

  @GetMapping(path = "/runs/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter stream(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      @RequestParam(required = false) String shown) {
    run(user, id);
    var scope = user.scope();
    Map<String, String> now = liveEvents(scope, id);
    String actions = now.get("actions");
    Map<String, String> alreadyShown =
        actions != null && SpecJson.sha256(actions).equals(shown)
            ? Map.of("actions", actions)
            : Map.of();
    return streams.subscribe(() -> liveEvents(scope, id), alreadyShown);
  }

  /**
   * The run page's server-sent events: {@code live} (status and stage cards) and {@code actions}
   * (the buttons). The stream sends an event only when its HTML changed, so the buttons, which
   * follow only the run's status, are not replaced under a user typing a cancel reason.
   */
  public Map<String, String> liveEvents(TeamScope scope, String id) {
    return repositories
        .runs()
        .find(scope, id)
        .map(
            r -> {
              Map<String, Object> vars = liveVars(r);
              return Map.of(
                  "live", streams.render("fragments", "live", vars),
                  "actions", streams.render("fragments", "actions", vars));
            })
        .orElse(Map.of());
  }

  private Map<String, Object> liveVars(RunDetailRow run) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("live", live.view(run));
    vars.put(
        "stageSlugs", List.of(PipelineStage.values()).stream().map(PipelineStage::slug).toList());
    return vars;
  }

  /** A metric series downsampled to at most {@code maxPoints} buckets, for uPlot. */
  @GetMapping("/runs/{id}/series")
  @ResponseBody
  Map<String, Object> series(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      @RequestParam String stage,
      @RequestParam String name,
      @RequestParam(defaultValue = "500") int maxPoints) {
    run(user, id);
    List<MetricSeries.Bucket> b =
        queries.metrics().points(id, stage, name, Math.max(10, Math.min(maxPoints, 2000)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("title", stage + " · " + name);
    out.put("x", b.stream().map(MetricSeries.Bucket::step).toList());
    out.put(
        "series",
        List.of(Map.of("label", name, "y", b.stream().map(MetricSeries.Bucket::mean).toList())));
    return out;
  }

  /** A file of the run (sample clip, frame, report), only under {@code runs/<id>/}. */
  @GetMapping("/runs/{id}/file")
  ResponseEntity<Resource> file(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      @RequestParam String path) {
    run(user, id);
    try {
      RunFiles.key(id, path);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "path must stay inside the run");
    }
    byte[] bytes =
        files
            .read(id, path)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such file"));
    String type = RunFiles.contentType(path);
    ResponseEntity.BodyBuilder r =
        ResponseEntity.ok()
            .contentType(MediaType.parseMediaType(type))
            .cacheControl(CacheControl.noCache().cachePrivate());
    if (type.equals("application/octet-stream")) {
      r.header(
          HttpHeaders.CONTENT_DISPOSITION,
          "attachment; filename=\""
              + path.substring(path.lastIndexOf('/') + 1).replace("\"", "")
              + "\"");
    }
    return r.body(new ByteArrayResource(bytes));
  }

  @PostMapping("/runs/{id}/pause")
  String pause(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      HttpServletRequest req,
      HttpServletResponse res,
      RedirectAttributes flash) {
    RunDetailRow run = run(user, id);
    return act(
        run,
        req,
        res,
        flash,
        "paused",
        "run.pause",
        () -> backends.control().pause(id),
        RunStatus.RUNNING,
        RunStatus.QUEUED);
  }

  @PostMapping("/runs/{id}/resume")
  String resume(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      HttpServletRequest req,
      HttpServletResponse res,
      RedirectAttributes flash) {
    RunDetailRow run = run(user, id);
    return act(
        run,
        req,
        res,
        flash,
        "resumed",
        "run.resume",
        () -> backends.control().resume(id),
        RunStatus.PAUSED);
  }

  @PostMapping("/runs/{id}/cancel")
  String cancel(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      @RequestParam(defaultValue = "") String reason,
      HttpServletRequest req,
      HttpServletResponse res,
      RedirectAttributes flash) {
    RunDetailRow run = run(user, id);
    String r = reason.strip();
    if (r.isEmpty() || r.length() > 500) {
      return done(
          req, res, flash, "/runs/" + id, "Cancel needs a reason (at most 500 characters).");
    }
    return act(
        run,
        req,
        res,
        flash,
        "cancelled",
        "run.cancel",
        () -> backends.control().cancel(id, user.getUsername() + ": " + r),
        RunStatus.QUEUED,
        RunStatus.RUNNING,
        RunStatus.PAUSED);
  }

  /** A new run with this run's spec; from a stage, it reuses this run's outputs before it. */
  @PostMapping("/runs/{id}/rerun")
  String rerun(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      @RequestParam(required = false) String fromStage,
      @RequestParam(required = false) String newRunId,
      HttpServletRequest req,
      HttpServletResponse res,
      RedirectAttributes flash) {
    RunDetailRow run = run(user, id);
    if (!run.status().isTerminal()) {
      return done(
          req,
          res,
          flash,
          "/runs/" + id,
          "Only an ended run can be run again; pause or cancel it first.");
    }
    RunSpec old = SpecJson.read(run.specJson());
    String newId =
        newRunId != null && newRunId.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")
            ? newRunId
            : ConsoleLaunches.newRunId();
    RunSpec spec = old.withRunId(newId, old.name());
    if (fromStage != null && !fromStage.isBlank()) {
      Optional<PipelineStage> st = PipelineStage.bySlug(fromStage);
      if (st.isEmpty()) {
        return done(
            req,
            res,
            flash,
            "/runs/" + id,
            "Unknown stage " + fromStage + ": use one of " + PipelineStage.slugs());
      }
      spec = spec.withReuse(id, st.get());
    } else {
      spec =
          new RunSpec(
              spec.runId(),
              spec.name(),
              spec.preset(),
              spec.data(),
              spec.baseModel(),
              spec.fineTune(),
              spec.distill(),
              spec.export(),
              spec.evaluate(),
              spec.checkpoints(),
              spec.taskQueues(),
              spec.defaultQueue(),
              spec.heartbeatSeconds(),
              null,
              spec.useCache(),
              spec.retries());
    }
    var problems = spec.problems();
    if (!problems.isEmpty()) {
      return done(req, res, flash, "/runs/" + id, "Cannot rerun: " + String.join("; ", problems));
    }
    try {
      ConsoleLaunches.Launched l = launches.launch(spec, user);
      return done(req, res, flash, "/runs/" + l.runId(), l.warning());
    } catch (ConsoleLaunches.QuotaExceeded | ConsoleLaunches.RunIdTaken e) {
      return done(req, res, flash, "/runs/" + id, "Cannot rerun: " + e.getMessage());
    }
  }

  private String act(
      RunDetailRow run,
      HttpServletRequest req,
      HttpServletResponse res,
      RedirectAttributes flash,
      String what,
      String action,
      Runnable signal,
      RunStatus... allowed) {
    String back = "/runs/" + run.id();
    if (!Set.of(allowed).contains(run.status())) {
      res.setStatus(HttpStatus.CONFLICT.value());
      return done(
          req, res, flash, back, "The run is " + run.status() + ": it cannot be " + what + " now.");
    }
    try {
      signal.run();
    } catch (RuntimeException e) {
      return done(
          req,
          res,
          flash,
          back,
          "Temporal did not take the signal ("
              + e.getClass().getSimpleName()
              + "); try again shortly.");
    }
    LOG.info("{} run {} (team {}) from the console", action, run.id(), run.teamId());
    audit.run(run.teamId(), action, run.id());
    return done(req, res, flash, back, "Asked the run to be " + what + ".");
  }

  /** htmx gets {@code HX-Redirect}; a plain form post a redirect. */
  private static String done(
      HttpServletRequest req,
      HttpServletResponse res,
      RedirectAttributes flash,
      String to,
      String message) {
    if (message != null) {
      flash.addFlashAttribute("flash", message);
    }
    if (req.getHeader("HX-Request") != null) {
      if (message != null) {
        req.getSession().setAttribute("flashMessage", message);
      }
      res.setHeader("HX-Redirect", to);
      if (res.getStatus() == 200) {
        res.setStatus(HttpStatus.NO_CONTENT.value());
      }
      return null;
    }
    return "redirect:" + to;
  }
}
