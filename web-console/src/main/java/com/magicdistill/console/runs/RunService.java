package com.magicdistill.console.runs;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.audit.AuditLog;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.RunCreation;
import com.magicdistill.db.RunQueries;
import com.magicdistill.db.RunQueries.RunDetailRow;
import com.magicdistill.db.StageRow;
import com.magicdistill.db.TeamScope;
import com.magicdistill.workflows.PipelineClient.LiveHeartbeat;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Launching and steering runs for a team, shared by the API and the pages: create (idempotent),
 * rerun, pause, resume, cancel, and the run detail with live progress. Another team's run is
 * reported as absent.
 */
@Service
public class RunService {
  private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  /** Problem slug of a launch refused by the team's quota. */
  public static final String QUOTA_SLUG = "team-quota-reached";

  private static final List<String> STAGES =
      Arrays.stream(PipelineStage.values()).map(PipelineStage::slug).toList();

  private final ConsoleRepositories repositories;
  private final RunCreation creation;
  private final ConsoleBackends backends;
  private final SpecResolver resolver;
  private final AuditLog audit;

  public RunService(
      ConsoleRepositories repositories,
      ConsoleBackends backends,
      SpecResolver resolver,
      AuditLog audit) {
    this.audit = audit;
    this.repositories = repositories;
    this.backends = backends;
    this.resolver = resolver;
    this.creation = new RunCreation(backends.dataSource());
  }

  /** Who launches: the team the run belongs to and who to record as its creator. */
  public record Launcher(String teamId, String createdBy) {}

  /**
   * A created (or replayed) run.
   *
   * @param started false when the run was recorded but Temporal did not take its workflow yet (the
   *     reconciler submits it later)
   */
  public record Created(RunViews.RunDetail run, boolean replayed, boolean started) {}

  public RunSpec validate(RunRequest request) {
    return resolver.resolve(request);
  }

  public Created create(Launcher who, RunRequest request, String idempotencyKey) {
    String key = checkKey(idempotencyKey);
    RunSpec spec = resolver.resolve(withStableRunId(request, key, who));
    return register(who, spec, SpecJson.write(spec), key, "run.launch", null);
  }

  /**
   * A launch from the console's form or rerun button: {@code spec} is resolved and valid, {@code
   * specJson} is it as the console writes specs (kept as is: the stored hash of a console launch
   * must not change). The run id is the natural key, so a double submit launches once.
   */
  public Created launch(Launcher who, RunSpec spec, String specJson) {
    return register(who, spec, specJson, null, "run.launch", null);
  }

  public Created rerun(
      Launcher who, TeamScope scope, String runId, RerunRequest request, String idempotencyKey) {
    String key = checkKey(idempotencyKey);
    RunDetailRow source = find(scope, runId);
    RerunRequest r = request == null ? new RerunRequest(null, null, null, null, null) : request;
    if (r.runId() == null && key != null) {
      r =
          new RerunRequest(
              r.fromStage(), derivedRunId(who, key), r.name(), r.overrides(), r.useCache());
    }
    RunSpec spec = resolver.rerun(source.specJson(), source.id(), r);
    return register(who, spec, SpecJson.write(spec), key, "run.rerun", source.id());
  }

  /**
   * With a key and no run id, the run id is derived from team and key, so a replay resolves to the
   * same spec (a generated id would make every retry a different request).
   */
  private static RunRequest withStableRunId(RunRequest r, String key, Launcher who) {
    if (key == null || r.runId() != null) {
      return r;
    }
    return new RunRequest(
        r.preset(), r.name(), derivedRunId(who, key), r.overrides(), r.useCache(), r.spec());
  }

  private static String derivedRunId(Launcher who, String key) {
    return "r-" + SpecJson.sha256(who.teamId() + "\n" + key).substring(0, 20);
  }

  /**
   * @param action audit action, {@code run.launch} or {@code run.rerun}
   * @param source the run a rerun copies, or null
   */
  private Created register(
      Launcher who, RunSpec spec, String json, String key, String action, String source) {
    String sha = SpecJson.sha256(json);
    RunCreation.Result result =
        creation.create(
            new RunCreation.NewRun(
                spec.runId(),
                spec.name(),
                json,
                sha,
                spec.preset(),
                backends.codeVersion(),
                spec.reuse() == null ? null : spec.reuse().runId(),
                spec.reuse() == null ? null : spec.reuse().fromStage(),
                who.teamId(),
                who.createdBy(),
                STAGES),
            key == null ? null : new RunCreation.Key(key, sha));
    TeamScope scope = TeamScope.team(who.teamId());
    switch (result.outcome()) {
      case CREATED -> {
        LOG.info("run {} created for team {} by {}", spec.runId(), who.teamId(), who.createdBy());
        audit.run(who.createdBy(), who.teamId(), action, spec.runId(), source);
        boolean started = start(spec);
        return new Created(detail(scope, spec.runId()), false, started);
      }
      case REPLAYED -> {
        return new Created(detail(scope, result.runId()), true, true);
      }
      case KEY_MISMATCH ->
          throw new ApiException(
              422,
              "idempotency-key-mismatch",
              "Idempotency-Key reused with another request",
              "this Idempotency-Key was first sent with a different body; use a new key for a"
                  + " new request",
              List.of(),
              java.util.Map.of());
      case KEY_IN_FLIGHT ->
          throw ApiException.conflict(
              "idempotency-key-in-flight",
              "The first request with this key has not finished",
              "retry shortly");
      case RUN_ID_EXISTS ->
          throw ApiException.conflict(
              "run-id-exists",
              "The run id is taken",
              "a run " + spec.runId() + " exists with another spec: pick another runId");
      case REUSED_RUN_UNKNOWN -> throw ApiException.notFound("run " + spec.reuse().runId());
      case QUOTA_REACHED ->
          throw ApiException.conflict(
              QUOTA_SLUG,
              "The team is at its quota of active runs",
              "team "
                  + who.teamId()
                  + " has as many runs queued, running or paused as its quota allows: wait for"
                  + " one to end or cancel one");
      default -> throw new IllegalStateException(result.outcome().name());
    }
  }

  /** Starts the workflow; false when Temporal did not take it. */
  private boolean start(RunSpec spec) {
    try {
      backends.control().start(spec);
      return true;
    } catch (RuntimeException e) {
      // The run is recorded QUEUED: the workers' reconciler submits it when Temporal is back.
      LOG.warn("run {} recorded but not started yet: {}", spec.runId(), e.toString());
      return false;
    }
  }

  static String checkKey(String key) {
    if (key == null) {
      return null;
    }
    if (!KEY.matcher(key).matches()) {
      throw ApiException.badParameter(
          "Idempotency-Key", null, "use 1-255 visible ASCII characters, e.g. a UUID");
    }
    return key;
  }

  public RunDetailRow find(TeamScope scope, String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw ApiException.notFound("run " + runId);
    }
    return repositories
        .runs()
        .find(scope, runId)
        .orElseThrow(() -> ApiException.notFound("run " + runId));
  }

  /** The run with stages and live progress; 404 for another team's or an unknown run. */
  public RunViews.RunDetail detail(TeamScope scope, String runId) {
    RunDetailRow r = find(scope, runId);
    List<StageRow> stages = repositories.pipeline().stages().stages(runId);
    return new RunViews.RunDetail(
        r.id(),
        r.name(),
        r.preset(),
        r.status().name(),
        r.teamId(),
        r.createdBy(),
        r.createdAt(),
        r.startedAt(),
        r.finishedAt(),
        r.error(),
        r.reusedFromRun(),
        r.reuseFromStage(),
        r.codeVersion(),
        SpecJson.asMap(r.specJson()),
        stages.stream()
            .map(
                s ->
                    new RunViews.StageView(
                        s.stage(),
                        s.ordinal(),
                        s.status().name(),
                        s.cacheKey(),
                        s.totalSteps(),
                        s.startedAt(),
                        s.finishedAt()))
            .toList(),
        repositories.pipeline().stages().attemptCounts(runId),
        r.status() == RunStatus.RUNNING ? live(r, stages) : null);
  }

  private RunViews.Live live(RunDetailRow r, List<StageRow> stages) {
    String stage =
        stages.stream()
            .filter(s -> s.status().name().equals("RUNNING"))
            .map(StageRow::stage)
            .findFirst()
            .orElse(null);
    String queue = null;
    if (stage != null) {
      try {
        queue = SpecJson.read(r.specJson()).queueOf(PipelineStage.bySlug(stage).orElseThrow());
      } catch (RuntimeException e) {
        queue = null;
      }
    }
    Optional<LiveHeartbeat> hb;
    try {
      hb = backends.control().heartbeat(r.id());
    } catch (StatusRuntimeException e) {
      hb = Optional.empty();
    }
    Integer pollers = null;
    String note = null;
    if (queue != null && (hb.isEmpty() || hb.get().worker() == null)) {
      try {
        pollers = backends.control().pollers(queue).pollers();
        if (pollers == 0) {
          note = "queue " + queue + " has no workers: start one with ./magic worker";
        }
      } catch (StatusRuntimeException e) {
        note = "the workflow service does not answer";
      }
    }
    if (hb.isEmpty()) {
      if (note == null && queue != null) {
        note = "waiting for a worker on queue " + queue;
      }
      return new RunViews.Live(
          stage, null, null, null, null, null, null, null, null, queue, pollers, note);
    }
    LiveHeartbeat h = hb.get();
    Instant beat = h.lastBeatAt();
    Long age = beat == null ? null : Math.max(0, Duration.between(beat, Instant.now()).toSeconds());
    if (note == null && "SCHEDULED".equals(h.state()) && queue != null) {
      note = "waiting for a worker on queue " + queue;
    } else if (note == null && age != null && age > heartbeatSeconds(r)) {
      note =
          "no heartbeat for " + age + " s: the worker may be gone; the stage is retried elsewhere";
    }
    var d = h.details();
    return new RunViews.Live(
        stage,
        d == null ? null : d.step(),
        d == null ? null : d.totalSteps(),
        d == null || Double.isNaN(d.loss()) ? null : d.loss(),
        d == null || d.etaSeconds() < 0 ? null : d.etaSeconds(),
        h.attempt(),
        h.worker(),
        beat,
        age,
        queue,
        pollers,
        note);
  }

  private static long heartbeatSeconds(RunDetailRow r) {
    try {
      return SpecJson.read(r.specJson()).heartbeatSeconds();
    } catch (RuntimeException e) {
      return 60;
    }
  }

  public RunViews.RunDetail pause(TeamScope scope, String runId) {
    RunDetailRow r = requireActive(scope, runId);
    signal(() -> backends.control().pause(r.id()));
    audit(r, "run.pause");
    return detail(scope, runId);
  }

  public RunViews.RunDetail resume(TeamScope scope, String runId) {
    RunDetailRow r = requireActive(scope, runId);
    signal(() -> backends.control().resume(r.id()));
    audit(r, "run.resume");
    return detail(scope, runId);
  }

  public RunViews.RunDetail cancel(TeamScope scope, String runId, String reason) {
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      throw ApiException.badParameter(
          "reason", null, "say why in 1-500 characters (it is recorded with the run)");
    }
    RunDetailRow r = requireActive(scope, runId);
    signal(() -> backends.control().cancel(r.id(), reason));
    audit(r, "run.cancel");
    return detail(scope, runId);
  }

  private void audit(RunDetailRow r, String action) {
    LOG.info("{} run {} (team {})", action, r.id(), r.teamId());
    audit.run(r.teamId(), action, r.id());
  }

  private RunDetailRow requireActive(TeamScope scope, String runId) {
    RunDetailRow r = find(scope, runId);
    if (!r.status().isInFlight()) {
      throw ApiException.conflict(
          "run-not-active",
          "The run has ended",
          "run " + runId + " is " + r.status() + ": only queued, running or paused runs take this");
    }
    return r;
  }

  private static void signal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      throw ApiException.temporalUnavailable();
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      throw ApiException.temporalUnavailable();
    }
  }

  public List<RunQueries.StatusCount> counts(TeamScope scope) {
    return repositories.runs().counts(scope);
  }

  public RunQueries.Page list(
      TeamScope scope, RunQueries.RunFilter filter, RunQueries.Cursor after, int limit) {
    return repositories.runs().list(scope, filter, after, limit);
  }
}
