package com.magicdistill.platform;

import com.magicdistill.activities.RunBookkeepingImpl;
import com.magicdistill.activities.StageActivitiesImpl;
import com.magicdistill.activities.StageRunner;
import com.magicdistill.activities.WorkerDrain;
import com.magicdistill.workflows.DistillationPipelineImpl;
import com.magicdistill.workflows.PipelineClient;
import com.magicdistill.workflows.TaskQueues;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker node: serves the pipeline queue (the workflow and its bookkeeping activities) and the
 * given stage queues (one per GPU node: {@code gpu}) with {@code slots} concurrent stages (= GPU
 * slots). Runs the {@link Reconciler} at start and every {@link WorkerSettings#reconcileEvery()} of
 * its config. On shutdown it drains: running stages checkpoint and fail retryably, so another
 * worker resumes them at once.
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

  /**
   * @param queues stage task queues to serve (e.g. gpu)
   * @param slots concurrent stage activities (GPU slots of this node)
   */
  public WorkerProcess(
      Connections c, List<String> queues, int slots, Path scratch, String identity) {
    this.identity = identity;
    WorkerSettings settings = c.config().worker();
    this.drainDeadline = settings.drainDeadline();
    this.factory =
        WorkerFactory.newInstance(c.workflowClient(), WorkerFactoryOptions.newBuilder().build());
    WorkerOptions.Builder base =
        WorkerOptions.newBuilder().setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1));
    if (c.config().temporal().embedded()) {
      // The test server never times out a dead worker's sticky queue (docs/STACK_NOTES.md).
      base.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    Worker pipeline = factory.newWorker(TaskQueues.PIPELINE, base.build());
    pipeline.registerWorkflowImplementationTypes(DistillationPipelineImpl.class);
    pipeline.registerActivitiesImplementations(
        new RunBookkeepingImpl(c.repositories(), c.store(), settings.codeVersion()));
    StageRunner runner =
        new StageRunner(
            c.store(), c.repositories(), drain, scratch, identity, settings.stallLimit());
    for (String queue : queues) {
      Worker stages =
          factory.newWorker(
              queue,
              WorkerOptions.newBuilder(base.build())
                  .setMaxConcurrentActivityExecutionSize(slots)
                  .build());
      stages.registerActivitiesImplementations(new StageActivitiesImpl(runner));
    }
    Reconciler r = new Reconciler(c.repositories().runs(), new PipelineClient(c.workflowClient()));
    reconciler.scheduleWithFixedDelay(
        r::reconcileOnce, 0, settings.reconcileEvery().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "worker {} serving {} and stage queues {} ({} slots)",
        identity,
        TaskQueues.PIPELINE,
        queues,
        slots);
  }

  public WorkerProcess start() {
    factory.start();
    return this;
  }

  public String identity() {
    return identity;
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
    factory.shutdown();
    factory.awaitTermination(wait, TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      LOG.warn("worker {}: stages still running after {} ms; stopping them", identity, wait);
      factory.shutdownNow();
    }
    LOG.info("worker {} stopped", identity);
  }
}
