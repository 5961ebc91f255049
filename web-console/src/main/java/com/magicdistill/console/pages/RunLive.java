package com.magicdistill.console.pages;

import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.AttemptRow;
import com.magicdistill.db.MetricSeries;
import com.magicdistill.db.RunQueries.RunDetailRow;
import com.magicdistill.db.StageRow;
import com.magicdistill.workflows.AttemptOutcome;
import com.magicdistill.workflows.PipelineClient.LiveHeartbeat;
import com.magicdistill.workflows.PipelineClient.QueuePollers;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.StageStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The live state of a run as the run page and the runs list show it: each stage's status, step,
 * loss, ETA, attempt, worker and heartbeat age. The running stage's numbers come from its activity
 * heartbeat as the Temporal service records it (no workflow query, so a busy or absent worker
 * cannot stall the page), else from the newest metric in PostgreSQL. When nothing polls the queue
 * of the stage that should run, the view says so.
 */
@Component
public class RunLive {

  /** One stage card. {@code pct} is 0-100. */
  public record StageCard(
      String slug,
      StageStatus status,
      String cacheKey,
      long step,
      long total,
      int pct,
      Double loss,
      String eta,
      int attempt,
      String worker,
      String heartbeatAge,
      int attempts,
      int preemptions) {
    public boolean running() {
      return status == StageStatus.RUNNING;
    }
  }

  /** The whole live panel. */
  public record View(
      String runId,
      RunStatus status,
      String error,
      List<StageCard> stages,
      String queueNotice,
      int preemptions) {
    public boolean active() {
      return status.isInFlight();
    }

    public boolean terminal() {
      return status.isTerminal();
    }
  }

  private final ConsoleRepositories repositories;
  private final ConsoleBackends backends;
  private final PageQueries queries;
  private volatile boolean pollersUnsupported;

  /**
   * How long a run may stay QUEUED before we say nobody takes it (a busy worker needs a while);
   * {@code console.runs.queued-grace-seconds}, 20 unless set.
   */
  private final long queuedGraceSeconds;

  public RunLive(
      ConsoleRepositories repositories,
      ConsoleBackends backends,
      PageQueries queries,
      @Value("${console.runs.queued-grace-seconds:20}") long queuedGraceSeconds) {
    this.repositories = repositories;
    this.backends = backends;
    this.queries = queries;
    this.queuedGraceSeconds = queuedGraceSeconds;
  }

  public View view(RunDetailRow run) {
    RunStatus status = run.status();
    List<StageRow> rows = repositories.pipeline().stages().stages(run.id());
    Optional<LiveHeartbeat> beat = Optional.empty();
    if (status == RunStatus.RUNNING) {
      try {
        beat = backends.control().heartbeat(run.id());
      } catch (RuntimeException e) {
        beat = Optional.empty(); // Temporal unreachable or the workflow unknown: use PostgreSQL
      }
    }
    Map<String, MetricSeries.LatestStep> latest = new ConcurrentHashMap<>();
    for (MetricSeries.LatestStep l : queries.metrics().latestSteps(run.id())) {
      latest.put(l.stage(), l);
    }
    List<StageCard> cards = new ArrayList<>();
    int preemptionsTotal = 0;
    String waiting = null;
    for (StageRow s : rows) {
      List<AttemptRow> attempts = repositories.pipeline().stages().attempts(run.id(), s.stage());
      int preemptions =
          (int)
              attempts.stream()
                  .filter(
                      a ->
                          a.outcome() == AttemptOutcome.LOST
                              || a.outcome() == AttemptOutcome.DRAINED)
                  .count();
      preemptionsTotal += preemptions;
      AttemptRow last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
      long total = s.totalSteps() == null ? 0 : s.totalSteps();
      MetricSeries.LatestStep l = latest.get(s.stage());
      long step = l == null ? 0 : l.step();
      Double loss = l == null ? null : l.loss();
      String eta = null;
      int attempt = last == null ? 0 : last.attempt();
      String worker = last == null ? null : last.worker();
      String age = null;
      if (s.status() == StageStatus.RUNNING && beat.isPresent()) {
        LiveHeartbeat h = beat.get();
        if (h.details() != null) {
          step = h.details().step();
          total = h.details().totalSteps() > 0 ? h.details().totalSteps() : total;
          if (Double.isFinite(h.details().loss())) { // NaN before a stage's first step
            loss = h.details().loss();
          }
          double etaSeconds = h.details().etaSeconds();
          eta = etaSeconds >= 0 ? duration((long) etaSeconds) : null;
        }
        attempt = h.attempt();
        worker = h.worker() == null ? worker : h.worker();
        age =
            h.lastBeatAt() == null
                ? null
                : duration(Duration.between(h.lastBeatAt(), Instant.now()).toSeconds()) + " ago";
      }
      if (s.status().hasOutputs()) {
        step = Math.max(step, total);
      }
      int pct =
          s.status().hasOutputs()
              ? 100
              : total <= 0 ? 0 : (int) Math.min(100, Math.round(100.0 * step / total));
      if (waiting == null
          && status.isInFlight()
          && status != RunStatus.PAUSED
          && (s.status() == StageStatus.RUNNING || s.status() == StageStatus.PENDING)) {
        waiting = s.stage();
      }
      cards.add(
          new StageCard(
              s.stage(),
              s.status(),
              s.cacheKey(),
              step,
              total,
              pct,
              loss,
              eta,
              attempt,
              worker,
              age,
              attempts.size(),
              preemptions));
    }
    String notice = null;
    if (waiting != null) {
      notice = queueNotice(run, waiting, beat.orElse(null));
    }
    return new View(run.id(), status, run.error(), cards, notice, preemptionsTotal);
  }

  private String queueNotice(RunDetailRow run, String stage, LiveHeartbeat beat) {
    String queue;
    try {
      RunSpec spec = SpecJson.read(run.specJson());
      queue = spec.queueOf(PipelineStage.bySlug(stage).orElse(PipelineStage.FINE_TUNE));
    } catch (RuntimeException e) {
      return null;
    }
    String hint = ": start one with ./magic worker --queue " + queue;
    if (!pollersUnsupported) {
      try {
        // read through the console's cache of Temporal reads (a few seconds per queue)
        QueuePollers p = backends.control().pollers(queue);
        return p.pollers() == 0 ? "queue " + queue + " has no workers" + hint : null;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          return "Temporal is not reachable: live progress comes from PostgreSQL only";
        }
        pollersUnsupported = true; // the embedded test server has no DescribeTaskQueue
      } catch (RuntimeException e) {
        return "Temporal is not reachable: live progress comes from PostgreSQL only";
      }
    }
    // Without poller counts: a run nobody picked up, or a stage scheduled but not started.
    long waited = Duration.between(run.createdAt(), Instant.now()).toSeconds();
    if (run.status() == RunStatus.QUEUED && waited >= queuedGraceSeconds) {
      return "queue "
          + queue
          + " has no workers taking this run (queued "
          + duration(waited)
          + ")"
          + hint;
    }
    if (beat != null
        && "SCHEDULED".equals(beat.state())
        && beat.attempt() <= 1
        && beat.details() == null) {
      return "stage " + stage + " waits on queue " + queue + ": no worker has taken it yet" + hint;
    }
    return null;
  }

  static String duration(long seconds) {
    if (seconds < 0) {
      return "-";
    }
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }
}
