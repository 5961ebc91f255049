package com.magicdistill.platform;

import com.magicdistill.activities.RunBookkeepingImpl;
import com.magicdistill.activities.StageActivitiesImpl;
import com.magicdistill.activities.StageRunner;
import com.magicdistill.activities.WorkerDrain;
import com.magicdistill.db.Repositories;
import com.magicdistill.engine.perf.NativeAllocator;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.DistillationPipelineImpl;
import com.magicdistill.workflows.PipelineClient;
import com.magicdistill.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker node. By its {@link WorkerRole}: a pipeline worker serves the pipeline queue (the
 * workflow and its bookkeeping activities) and runs the {@link Reconciler} (when it holds the
 * leader lock) at start and every {@link WorkerSettings#reconcileEvery()}; a stage worker serves
 * the given stage queues (one per GPU node: {@code gpu}) with {@code slots} concurrent stages (=
 * GPU slots); {@code all} does both. On shutdown it drains: running stages checkpoint and fail
 * retryably, so another worker resumes them at once.
 */
public final class WorkerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

  private final WorkerFactory factory;
  private final WorkerDrain drain = new WorkerDrain();
  private final ScheduledExecutorService reconciler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "reconciler");
            t.setDaemon(true);
            return t;
          });
  private final String identity;
  private final Duration drainDeadline;
  private final WorkerRole role;
  private final List<String> servedQueues = new ArrayList<>();
  private final Runnable reconcile;
  private final Duration reconcileEvery;
  private final ReconcilerLeader leader;

  /**
   * @param role what this worker serves
   * @param queues stage task queues to serve (e.g. gpu); unused by a pipeline worker
   * @param slots concurrent stage activities (GPU slots of this node)
   */
  public WorkerProcess(
      Connections c,
      WorkerRole role,
      List<String> queues,
      int slots,
      Path scratch,
      String identity,
      WorkerInterceptor... interceptors) {
    this(
        c.workflowClient(),
        c.config().temporal().embedded(),
        c.repositories(),
        c.store(),
        c.dataSource(),
        c.config().worker(),
        role,
        queues,
        slots,
        scratch,
        identity,
        interceptors);
  }

  WorkerProcess(
      WorkflowClient client,
      boolean embeddedTemporal,
      Repositories repositories,
      ObjectStore store,
      DataSource dataSource,
      WorkerSettings settings,
      WorkerRole role,
      List<String> queues,
      int slots,
      Path scratch,
      String identity,
      WorkerInterceptor... interceptors) {
    this.identity = identity;
    this.drainDeadline = settings.drainDeadline();
    this.role = role;
    this.reconcileEvery = settings.reconcileEvery();
    this.factory =
        WorkerFactory.newInstance(
            client, WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptors).build());
    WorkerOptions.Builder base = baseOptions(settings, embeddedTemporal);
    if (role.servesPipeline()) {
      Worker pipeline = factory.newWorker(TaskQueues.PIPELINE, base.build());
      pipeline.registerWorkflowImplementationTypes(DistillationPipelineImpl.class);
      pipeline.registerActivitiesImplementations(
          new RunBookkeepingImpl(repositories, store, settings.codeVersion()));
      servedQueues.add(TaskQueues.PIPELINE);
      Reconciler r = new Reconciler(repositories.runs(), new PipelineClient(client));
      this.leader = new ReconcilerLeader(dataSource, identity);
      this.reconcile = () -> leader.runIfLeader(r::reconcileOnce);
    } else {
      this.leader = null;
      this.reconcile = null;
    }
    if (role.servesStages()) {
      StageRunner runner =
          new StageRunner(
              store,
              repositories,
              drain,
              scratch,
              identity,
              settings.stallLimit(),
              settings.injectedStageError(),
              java.util.Arrays.stream(interceptors)
                  .filter(StageMetrics.class::isInstance)
                  .map(
                      i ->
                          (com.magicdistill.activities.CheckpointObserver)
                              ((StageMetrics) i)::checkpointSaved)
                  .findFirst()
                  .orElse(null));
      for (String queue : queues) {
        Worker stages =
            factory.newWorker(
                queue,
                WorkerOptions.newBuilder(base.build())
                    .setMaxConcurrentActivityExecutionSize(slots)
                    .build());
        stages.registerActivitiesImplementations(new StageActivitiesImpl(runner));
        servedQueues.add(queue);
      }
    }
    LOG.info(
        "worker {} ({}) serving {} ({} slots); native memory: {}",
        identity,
        role,
        servedQueues,
        slots,
        NativeAllocator.current().describe());
  }

  /**
   * Options every worker of this process shares (heartbeat throttle, heartbeats while draining,
   * sticky queues).
   */
  static WorkerOptions.Builder baseOptions(WorkerSettings settings, boolean embeddedTemporal) {
    WorkerOptions.Builder base =
        WorkerOptions.newBuilder()
            .setMaxHeartbeatThrottleInterval(settings.heartbeatThrottle())
            // Without it the SDK drops every heartbeat once shutdown starts, so a stage writing its
            // drain checkpoint times out by heartbeat and its next attempt races the write.
            .setAllowActivityHeartbeatDuringShutdown(true);
    if (embeddedTemporal) {
      // The test server never times out a dead worker's sticky queue (docs/STACK_NOTES.md).
      base.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    return base;
  }

  public WorkerProcess start() {
    factory.start();
    if (reconcile != null) {
      reconciler.scheduleWithFixedDelay(
          this::reconcileQuietly, 0, reconcileEvery.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void reconcileQuietly() {
    try {
      reconcile.run();
    } catch (RuntimeException e) {
      // a failed round must not cancel the schedule
      LOG.warn("reconciler round failed: {}", e.toString());
    }
  }

  public String identity() {
    return identity;
  }

  public WorkerRole role() {
    return role;
  }

  /** The task queues this worker polls (the pipeline queue first when it serves it). */
  public List<String> servedQueues() {
    return List.copyOf(servedQueues);
  }

  /** Whether a Temporal worker is registered on {@code queue} (what polls it once started). */
  boolean polls(String queue) {
    return factory.tryGetWorker(queue) != null;
  }

  /**
   * Drains: running stages stop (with a checkpoint if it fits the drain deadline) and hand over;
   * then polling stops. Returns within the drain deadline ({@code MAGIC_DRAIN_SECONDS}), or 60 s
   * without one; a stage still running then is interrupted and resumes elsewhere.
   */
  @Override
  public void close() {
    long wait = drainDeadline == null ? 60_000 : drainDeadline.toMillis();
    if (drainDeadline == null) {
      drain.start();
    } else {
      drain.start(drainDeadline);
    }
    reconciler.shutdownNow();
    if (leader != null) {
      leader.close();
    }
    factory.shutdown();
    factory.awaitTermination(wait, TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      LOG.warn("worker {}: stages still running after {} ms; stopping them", identity, wait);
      factory.shutdownNow();
    }
    LOG.info("worker {} stopped", identity);
  }
}
