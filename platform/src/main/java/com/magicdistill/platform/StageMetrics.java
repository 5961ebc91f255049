package com.magicdistill.platform;

import com.magicdistill.workflows.PipelineFailures;
import com.magicdistill.workflows.StageHeartbeat;
import com.magicdistill.workflows.TaskQueues;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.ManualActivityCompletionClient;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.common.CancellationToken;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics of the stage attempts running on this worker, seen from outside the activity code (a
 * Temporal interceptor watches each stage activity and its heartbeats): steps and steps/s, attempts
 * by outcome, heartbeat age, busy slots. A stalled stage stops heartbeating (the stall detector),
 * so a heartbeat older than the stall limit makes {@link #stalled()} true.
 */
public final class StageMetrics extends WorkerInterceptorBase {
  private final MeterRegistry registry;
  private final long stallLimitNanos;
  private final Map<Object, Running> running = new ConcurrentHashMap<>();
  private final Counter steps;

  /** One running stage attempt, as its heartbeats show it. */
  private static final class Running {
    volatile long lastBeatNanos = System.nanoTime();
    volatile long step = -1;
    volatile double stepsPerSecond;
  }

  public StageMetrics(MeterRegistry registry, int slots, Duration stallLimit) {
    this.registry = registry;
    this.stallLimitNanos = stallLimit.toNanos();
    this.steps =
        Counter.builder("magicdistill.stage.steps")
            .description("training steps done by this worker's stages")
            .register(registry);
    Gauge.builder("magicdistill.stage.slots", () -> slots)
        .description("stage slots of this worker")
        .register(registry);
    Gauge.builder("magicdistill.stage.slots.busy", running, Map::size)
        .description("stage attempts running on this worker")
        .register(registry);
    Gauge.builder(
            "magicdistill.stage.steps.per.second",
            running,
            m -> m.values().stream().mapToDouble(r -> r.stepsPerSecond).sum())
        .description("recent training speed, summed over running stages")
        .register(registry);
    Gauge.builder("magicdistill.stage.heartbeat.age.seconds", this, StageMetrics::maxAgeSeconds)
        .description("seconds since the stalest running stage last heartbeat")
        .register(registry);
    for (String outcome : new String[] {"succeeded", "failed", "drained", "cancelled"}) {
      attempts(outcome); // present at 0 before the first attempt ends
    }
  }

  /**
   * One checkpoint tensor file written by a stage here: {@code magicdistill.checkpoint.bytes} and
   * {@code magicdistill.checkpoint.save.seconds} (encode, hash and upload, streamed), by stage.
   */
  public void checkpointSaved(String stage, long bytes, double seconds) {
    DistributionSummary.builder("magicdistill.checkpoint.bytes")
        .description("size of each checkpoint tensor file written")
        .baseUnit("bytes")
        .tag("stage", stage)
        .register(registry)
        .record(bytes);
    Timer.builder("magicdistill.checkpoint.save")
        .description("time to encode, hash and upload a checkpoint tensor file")
        .tag("stage", stage)
        .register(registry)
        .record(Duration.ofNanos((long) (seconds * 1e9)));
  }

  /** Whether a running stage has not heartbeat for longer than the stall limit. */
  public boolean stalled() {
    return maxAgeSeconds() * 1e9 > stallLimitNanos;
  }

  private double maxAgeSeconds() {
    long now = System.nanoTime();
    return running.values().stream().mapToLong(r -> now - r.lastBeatNanos).max().orElse(0) / 1e9;
  }

  private Counter attempts(String outcome) {
    return Counter.builder("magicdistill.stage.attempts")
        .description("stage attempts ended on this worker, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  static String outcomeOf(Throwable t) {
    if (t instanceof ActivityCompletionException) {
      return "cancelled";
    }
    if (t instanceof ApplicationFailure f && PipelineFailures.WORKER_DRAINING.equals(f.getType())) {
      return "drained";
    }
    return "failed";
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private Running attempt;

      @Override
      public void init(ActivityExecutionContext context) {
        if (TaskQueues.PIPELINE.equals(context.getInfo().getActivityTaskQueue())) {
          super.init(context);
          return;
        }
        attempt = new Running();
        super.init(new Watched(context, attempt));
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        if (attempt == null) {
          return super.execute(input);
        }
        running.put(attempt, attempt);
        try {
          ActivityOutput out = super.execute(input);
          attempts("succeeded").increment();
          return out;
        } catch (RuntimeException | Error e) {
          attempts(outcomeOf(e)).increment();
          throw e;
        } finally {
          running.remove(attempt);
        }
      }
    };
  }

  /** The activity's context, with each heartbeat noted before it goes to Temporal. */
  private final class Watched implements ActivityExecutionContext {
    private final ActivityExecutionContext d;
    private final Running r;

    Watched(ActivityExecutionContext d, Running r) {
      this.d = d;
      this.r = r;
    }

    @Override
    public <V> void heartbeat(V details) throws ActivityCompletionException {
      r.lastBeatNanos = System.nanoTime();
      if (details instanceof StageHeartbeat beat) {
        if (r.step >= 0 && beat.step() > r.step) {
          steps.increment(beat.step() - r.step);
        }
        r.step = beat.step();
        r.stepsPerSecond = beat.stepsPerSecond();
      }
      d.heartbeat(details);
    }

    @Override
    public ActivityInfo getInfo() {
      return d.getInfo();
    }

    @Override
    public <V> Optional<V> getHeartbeatDetails(Class<V> c) {
      return d.getHeartbeatDetails(c);
    }

    @Override
    public <V> Optional<V> getHeartbeatDetails(Class<V> c, Type t) {
      return d.getHeartbeatDetails(c, t);
    }

    @Override
    public <V> Optional<V> getLastHeartbeatDetails(Class<V> c) {
      return d.getLastHeartbeatDetails(c);
    }

    @Override
    public <V> Optional<V> getLastHeartbeatDetails(Class<V> c, Type t) {
      return d.getLastHeartbeatDetails(c, t);
    }

    @Override
    public byte[] getTaskToken() {
      return d.getTaskToken();
    }

    @Override
    public CancellationToken<ActivityCanceledException> getCancellationToken() {
      return d.getCancellationToken();
    }

    @Override
    public void doNotCompleteOnReturn() {
      d.doNotCompleteOnReturn();
    }

    @Override
    public boolean isDoNotCompleteOnReturn() {
      return d.isDoNotCompleteOnReturn();
    }

    @Override
    public boolean isUseLocalManualCompletion() {
      return d.isUseLocalManualCompletion();
    }

    @Override
    public ManualActivityCompletionClient useLocalManualCompletion() {
      return d.useLocalManualCompletion();
    }

    @Override
    public Scope getMetricsScope() {
      return d.getMetricsScope();
    }

    @Override
    public WorkflowClient getWorkflowClient() {
      return d.getWorkflowClient();
    }

    @Override
    public Object getInstance() {
      return d.getInstance();
    }
  }
}
