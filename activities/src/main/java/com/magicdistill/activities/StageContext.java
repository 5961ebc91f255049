package com.magicdistill.activities;

import com.magicdistill.db.MetricPoint;
import com.magicdistill.db.Repositories;
import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.StageControl;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.storage.CheckpointRetention;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.StageHeartbeat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one stage: its object store (fenced), where its objects go ({@code
 * runs/<runId>/<stage>/...}), and what it reports while the engine trains: heartbeats {@code {step,
 * checkpointKey}} (at most one a second), loss time series and checkpoints to PostgreSQL, retention
 * after every checkpoint, and the stop request (pause, cancel, worker shutdown) the engine polls.
 */
public final class StageContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StageContext.class);
  private static final long BEAT_EVERY_NANOS = 1_000_000_000L;
  private static final int METRIC_BATCH = 50;

  private final RunSpec spec;
  private final PipelineStage stage;
  private final StageSettings settings;
  private final ObjectStore store;
  private final Repositories repositories;
  private final long attemptId;
  private final HeartbeatSink heartbeat;
  private final WorkerDrain drain;
  private final Path workDir;
  private final List<MetricPoint> pendingMetrics = new ArrayList<>();
  private final ScheduledExecutorService beater;
  private volatile boolean stopRequested;
  private volatile long totalSteps;
  private volatile long step;
  private volatile String checkpointKey;
  private volatile long checkpointStep;
  private volatile double loss = Double.NaN;
  private long speedMarkNanos = System.nanoTime();
  private long speedMarkStep;
  private long lastFlushNanos;
  private long stallLimitNanos = stallLimitNanos();
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile boolean stallReported;
  private volatile double stepsPerSecond;

  public StageContext(
      RunSpec spec,
      PipelineStage stage,
      ObjectStore store,
      Repositories repositories,
      long attemptId,
      HeartbeatSink heartbeat,
      WorkerDrain drain,
      Path workDir) {
    this.spec = spec;
    this.stage = stage;
    this.settings = StageSettings.of(spec);
    this.store = store;
    this.repositories = repositories;
    this.attemptId = attemptId;
    this.heartbeat = heartbeat;
    this.drain = drain;
    this.workDir = workDir;
    // Liveness comes from a timer, not from training steps: data preparation, model loading and
    // uploads can take longer than the heartbeat timeout without a step in between.
    this.beater =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat-" + spec.runId() + "-" + stage.slug());
              t.setDaemon(true);
              return t;
            });
    beater.scheduleWithFixedDelay(this::beatSafely, 0, BEAT_EVERY_NANOS, TimeUnit.NANOSECONDS);
  }

  public RunSpec spec() {
    return spec;
  }

  public String runId() {
    return spec.runId();
  }

  public StageSettings settings() {
    return settings;
  }

  public ObjectStore store() {
    return store;
  }

  public Repositories repositories() {
    return repositories;
  }

  /** A worker-local scratch folder for this attempt (datasets, packages). */
  public Path workDir() {
    return workDir;
  }

  /** {@code runs/<runId>/<stage>/<parts...>}. */
  public String prefix(String... parts) {
    String[] all = new String[parts.length + 3];
    all[0] = "runs";
    all[1] = spec.runId();
    all[2] = stage.slug();
    System.arraycopy(parts, 0, all, 3, parts.length);
    return ObjectStore.join(all);
  }

  /** Sets the stage's step count (over all its phases) and records it. */
  public void totalSteps(long total) {
    this.totalSteps = total;
    repositories.stages().startStage(spec.runId(), stage.slug(), null, total);
  }

  /** The engine's handle on this attempt: time-based checkpoints and the stop request. */
  public StageControl control() {
    return new StageControl(spec.checkpoints().everySeconds(), this::shouldStop);
  }

  /** Whether the stage should stop at this step (workflow pause/cancel, or the worker drains). */
  public boolean shouldStop() {
    return stopRequested || drain.draining();
  }

  /** Whether the workflow (not a worker shutdown) asked the stage to stop. */
  public boolean stopRequestedByWorkflow() {
    return stopRequested;
  }

  /** The step this attempt reached (over all phases). */
  public long step() {
    return step;
  }

  /** A listener for a training phase whose steps start at {@code offset} in the stage's count. */
  public TrainingListener phaseListener(String phase, long offset) {
    return new TrainingListener() {
      @Override
      public void onStep(com.magicdistill.engine.train.StepStats s) {
        progressed(offset + s.step() + 1, s.loss(), Map.of(phase + ".loss", (double) s.loss()));
      }

      @Override
      public void onCheckpoint(long completedSteps, String prefix) {
        checkpointed(prefix, offset + completedSteps, Set.of());
      }

      @Override
      public void onResume(long step, String prefix) {
        resumed(offset + step, prefix);
      }
    };
  }

  /** A listener for a distribution-matching stage (its iterations are the stage's steps). */
  public DistributionMatching.Listener distillListener(long offset) {
    return new DistributionMatching.Listener() {
      @Override
      public void onIteration(DistributionMatching.IterationStats s) {
        progressed(
            offset + s.iteration(),
            s.generatorLoss(),
            Map.of(
                "generator.loss", (double) s.generatorLoss(),
                "critic.loss", (double) s.criticLoss(),
                "generator.grad_norm", (double) s.generatorGradNorm()));
      }

      @Override
      public void onCheckpoint(long iteration, String generator, String critic) {
        checkpointed(generator, offset + iteration, Set.of(critic));
      }

      @Override
      public void onResume(long iteration, String generator) {
        resumed(offset + iteration, generator);
      }
    };
  }

  /** Records where this attempt really resumed (it may have skipped a corrupt checkpoint). */
  private void resumed(long atStep, String key) {
    lastProgressNanos = System.nanoTime();
    step = atStep;
    checkpointKey = key;
    checkpointStep = atStep;
    speedMarkStep = atStep;
    repositories.stages().updateAttemptStart(attemptId, atStep, key);
    LOG.info("{} {}: resumed at step {} from {}", spec.runId(), stage.slug(), atStep, key);
    beat();
  }

  private void progressed(long newStep, double newLoss, Map<String, Double> metrics) {
    lastProgressNanos = System.nanoTime();
    step = newStep;
    loss = newLoss;
    metrics.forEach((k, v) -> pendingMetrics.add(new MetricPoint(k, newStep, v)));
    if (pendingMetrics.size() >= METRIC_BATCH) {
      flushMetrics();
    }
    long now = System.nanoTime();
    if (now - speedMarkNanos > 5_000_000_000L) {
      stepsPerSecond = (step - speedMarkStep) / ((now - speedMarkNanos) / 1e9);
      speedMarkNanos = now;
      speedMarkStep = step;
    }
    if (now - lastFlushNanos > BEAT_EVERY_NANOS) {
      flushMetrics();
    }
  }

  /**
   * Records a checkpoint (and the ones written with it, e.g. the critic of a generator) in
   * PostgreSQL, applies retention, and heartbeats its key at once.
   */
  void checkpointed(String key, long atStep, Set<String> companions) {
    lastProgressNanos = System.nanoTime();
    checkpointKey = key;
    checkpointStep = atStep;
    try {
      for (String k : concat(key, companions)) {
        var manifest = CheckpointIO.readManifest(store, k);
        repositories
            .checkpoints()
            .recordCheckpoint(
                spec.runId(),
                stage.slug(),
                attemptId,
                k,
                atStep,
                manifest.tensorBytes(),
                manifest.sha256(),
                Double.isFinite(loss) ? loss : null);
        retain(parentOf(k), k);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("recording checkpoint " + key, e);
    }
    flushMetrics();
    beat();
  }

  /** Keeps the newest keepLast and best keepBest checkpoints under {@code prefix}. */
  private void retain(String prefix, String newest) throws IOException {
    Map<String, Double> metric = new LinkedHashMap<>();
    for (var row : repositories.checkpoints().checkpoints(spec.runId(), stage.slug())) {
      if (row.metric() != null && row.deletedAt() == null && row.objectKey().startsWith(prefix)) {
        metric.put(row.objectKey(), row.metric());
      }
    }
    List<String> deleted =
        CheckpointRetention.apply(
            store,
            prefix,
            spec.checkpoints().keepLast(),
            spec.checkpoints().keepBest(),
            metric,
            Set.of(newest));
    for (String d : deleted) {
      try {
        repositories.checkpoints().markCheckpointDeleted(d);
      } catch (RuntimeException e) {
        LOG.warn("retention deleted {}, which PostgreSQL did not list: {}", d, e.getMessage());
      }
    }
    if (!deleted.isEmpty()) {
      LOG.info("retention under {}: deleted {}", prefix, deleted);
    }
  }

  /**
   * Heartbeats unless training has stalled: once a stage has made steps, no new step for {@code
   * MAGIC_STALL_SECONDS} (default 1800) means a wedged loop, and withholding heartbeats lets
   * Temporal time the attempt out and retry it on another worker.
   */
  private void beatSafely() {
    if (step > 0 && System.nanoTime() - lastProgressNanos > stallLimitNanos) {
      if (!stallReported) {
        stallReported = true;
        LOG.warn(
            "{} {}: no training step for {} s after step {}: withholding heartbeats so the stage"
                + " is retried elsewhere",
            spec.runId(),
            stage.slug(),
            stallLimitNanos / 1_000_000_000L,
            step);
      }
      return;
    }
    try {
      beat();
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.toString());
    }
  }

  /** Overrides MAGIC_STALL_SECONDS (tests). */
  StageContext stallLimit(java.time.Duration limit) {
    this.stallLimitNanos = limit.toNanos();
    return this;
  }

  private static long stallLimitNanos() {
    String v = System.getenv().getOrDefault("MAGIC_STALL_SECONDS", "1800");
    try {
      return Long.parseLong(v.trim()) * 1_000_000_000L;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "MAGIC_STALL_SECONDS is invalid (got " + v + "): use a number of seconds, e.g. 1800");
    }
  }

  private synchronized void beat() {
    boolean keepGoing =
        heartbeat.beat(
            new StageHeartbeat(
                step, totalSteps, checkpointKey, checkpointStep, loss, stepsPerSecond));
    if (!keepGoing && !stopRequested) {
      LOG.info(
          "{} {}: stop requested by the workflow at step {}", spec.runId(), stage.slug(), step);
      stopRequested = true;
    }
  }

  private synchronized void flushMetrics() {
    lastFlushNanos = System.nanoTime();
    if (!pendingMetrics.isEmpty()) {
      repositories.metrics().recordMetrics(spec.runId(), stage.slug(), List.copyOf(pendingMetrics));
      pendingMetrics.clear();
    }
  }

  private static List<String> concat(String first, Set<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private static String parentOf(String key) {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  @Override
  public void close() {
    beater.shutdownNow();
    flushMetrics();
  }
}
