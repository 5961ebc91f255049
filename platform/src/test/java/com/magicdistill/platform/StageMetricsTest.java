package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.workflows.PipelineFailures;
import com.magicdistill.workflows.StageHeartbeat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Stage metrics as a stage activity and its heartbeats drive them (no Temporal server). */
class StageMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<Object> sentToTemporal = new ArrayList<>();

  private static <T> T fake(Class<T> type, java.util.function.Function<String, Object> answer) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, m, args) -> answer.apply(m.getName())));
  }

  private ActivityExecutionContext context(String queue) {
    ActivityInfo info =
        fake(ActivityInfo.class, m -> m.equals("getActivityTaskQueue") ? queue : null);
    return (ActivityExecutionContext)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {ActivityExecutionContext.class},
            (p, m, args) -> {
              if (m.getName().equals("getInfo")) {
                return info;
              }
              if (m.getName().equals("heartbeat")) {
                sentToTemporal.add(args[0]);
              }
              return null;
            });
  }

  /** Runs one stage attempt whose body gets the context the activity code would see. */
  private void attempt(StageMetrics metrics, Consumer<ActivityExecutionContext> body) {
    AtomicReference<ActivityExecutionContext> seen = new AtomicReference<>();
    ActivityInboundCallsInterceptor root =
        new ActivityInboundCallsInterceptor() {
          @Override
          public void init(ActivityExecutionContext c) {
            seen.set(c);
          }

          @Override
          public ActivityOutput execute(ActivityInput input) {
            body.accept(seen.get());
            return new ActivityOutput(null);
          }
        };
    ActivityInboundCallsInterceptor i = metrics.interceptActivity(root);
    i.init(context("gpu"));
    i.execute(new ActivityInboundCallsInterceptor.ActivityInput(null, new Object[0]));
  }

  private double value(String name) {
    return registry.get(name).gauge().value();
  }

  private double attempts(String outcome) {
    return registry.get("magicdistill.stage.attempts").tag("outcome", outcome).counter().count();
  }

  @Test
  void checkpointsAreCountedInBytesAndSecondsByStage() {
    StageMetrics m = new StageMetrics(registry, 1, Duration.ofMinutes(30));
    m.checkpointSaved("dmd-lora", 1000, 0.5);
    m.checkpointSaved("dmd-lora", 3000, 1.5);
    var bytes = registry.get("magicdistill.checkpoint.bytes").tag("stage", "dmd-lora").summary();
    assertEquals(2, bytes.count());
    assertEquals(4000, bytes.totalAmount());
    var save = registry.get("magicdistill.checkpoint.save").tag("stage", "dmd-lora").timer();
    assertEquals(2.0, save.totalTime(java.util.concurrent.TimeUnit.SECONDS), 1e-6);
  }

  @Test
  void heartbeatsDriveStepsSpeedSlotsAndAge() {
    StageMetrics m = new StageMetrics(registry, 2, Duration.ofMinutes(30));
    attempt(
        m,
        c -> {
          c.heartbeat(new StageHeartbeat(10, 100, null, 0, 1.0, 4.0));
          c.heartbeat(new StageHeartbeat(25, 100, null, 0, 0.9, 5.0));
          assertEquals(1, value("magicdistill.stage.slots.busy"));
          assertEquals(5.0, value("magicdistill.stage.steps.per.second"));
          assertTrue(value("magicdistill.stage.heartbeat.age.seconds") < 5);
          assertFalse(m.stalled());
        });
    assertEquals(2, sentToTemporal.size(), "every heartbeat still reaches Temporal");
    assertEquals(15, registry.get("magicdistill.stage.steps").counter().count());
    assertEquals(0, value("magicdistill.stage.slots.busy"));
    assertEquals(0, value("magicdistill.stage.steps.per.second"));
    assertEquals(1, attempts("succeeded"));
    assertEquals(2, value("magicdistill.stage.slots"));
  }

  @Test
  void attemptsCountedByOutcome() {
    StageMetrics m = new StageMetrics(registry, 1, Duration.ofMinutes(30));
    ApplicationFailure drained =
        ApplicationFailure.newFailure("draining", PipelineFailures.WORKER_DRAINING);
    var e =
        assertThrows(
            ApplicationFailure.class,
            () ->
                attempt(
                    m,
                    c -> {
                      throw drained;
                    }));
    assertSame(drained, e);
    assertThrows(
        IllegalStateException.class,
        () ->
            attempt(
                m,
                c -> {
                  throw new IllegalStateException("bad data");
                }));
    assertEquals(1, attempts("drained"));
    assertEquals(1, attempts("failed"));
    assertEquals(0, attempts("succeeded"));
  }

  @Test
  void noHeartbeatForTheStallLimitIsStalled() {
    StageMetrics m = new StageMetrics(registry, 1, Duration.ofMillis(50));
    attempt(
        m,
        c -> {
          c.heartbeat(new StageHeartbeat(1, 100, null, 0, 1.0, 4.0));
          try {
            Thread.sleep(120);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          assertTrue(m.stalled(), "a stage that stopped heartbeating is a stall");
        });
    assertFalse(m.stalled(), "nothing runs any more");
  }

  @Test
  void pipelineActivitiesAreNotStages() {
    StageMetrics m = new StageMetrics(registry, 1, Duration.ofMinutes(30));
    AtomicReference<ActivityExecutionContext> seen = new AtomicReference<>();
    ActivityInboundCallsInterceptor i =
        m.interceptActivity(
            new ActivityInboundCallsInterceptor() {
              @Override
              public void init(ActivityExecutionContext c) {
                seen.set(c);
              }

              @Override
              public ActivityOutput execute(ActivityInput input) {
                return new ActivityOutput(null);
              }
            });
    ActivityExecutionContext pipeline = context("pipeline");
    i.init(pipeline);
    i.execute(new ActivityInboundCallsInterceptor.ActivityInput(null, new Object[0]));
    assertSame(pipeline, seen.get());
    assertEquals(0, attempts("succeeded"));
  }
}
