package com.magicdistill.console.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.magicdistill.workflows.PipelineClient.LiveHeartbeat;
import com.magicdistill.workflows.PipelineClient.QueuePollers;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.StageHeartbeat;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Temporal is asked once per run per second, and once per queue per 5 s, whatever the load. */
class CachingRunControlTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Counting temporal = new Counting();
  private final CachingRunControl control = new CachingRunControl(temporal, nanos::get);

  @Test
  void aHeartbeatIsReadOncePerSecondPerRunAndASignalDropsIt() {
    for (int i = 0; i < 100; i++) {
      assertThat(control.heartbeat("r-1")).isPresent();
    }
    control.heartbeat("r-2");
    assertThat(temporal.heartbeats.get()).isEqualTo(2);
    advance(999);
    control.heartbeat("r-1");
    assertThat(temporal.heartbeats.get()).isEqualTo(2);
    advance(2);
    control.heartbeat("r-1");
    assertThat(temporal.heartbeats.get()).isEqualTo(3);
    control.pause("r-1");
    control.heartbeat("r-1");
    assertThat(temporal.heartbeats.get()).isEqualTo(4);
  }

  @Test
  void pollersAreReadOncePerFiveSecondsPerQueue() {
    for (int i = 0; i < 50; i++) {
      assertThat(control.pollers("gpu").pollers()).isEqualTo(2);
    }
    advance(4_999);
    control.pollers("gpu");
    assertThat(temporal.pollers.get()).isEqualTo(1);
    advance(2);
    control.pollers("gpu");
    assertThat(temporal.pollers.get()).isEqualTo(2);
  }

  @Test
  void anErrorIsNotKept() {
    temporal.failing = true;
    assertThatThrownBy(() -> control.heartbeat("r-1")).isInstanceOf(IllegalStateException.class);
    temporal.failing = false;
    assertThat(control.heartbeat("r-1")).isPresent();
  }

  private void advance(long millis) {
    nanos.addAndGet(millis * 1_000_000);
  }

  private static final class Counting implements RunControl {
    final AtomicInteger heartbeats = new AtomicInteger();
    final AtomicInteger pollers = new AtomicInteger();
    volatile boolean failing;

    @Override
    public void start(RunSpec spec) {}

    @Override
    public void pause(String runId) {}

    @Override
    public void resume(String runId) {}

    @Override
    public void cancel(String runId, String reason) {}

    @Override
    public Optional<LiveHeartbeat> heartbeat(String runId) {
      if (failing) {
        throw new IllegalStateException("the workflow service does not answer");
      }
      heartbeats.incrementAndGet();
      return Optional.of(
          new LiveHeartbeat(
              new StageHeartbeat(1, 10, null, 0, Double.NaN, 0.5),
              1,
              "w-1",
              Instant.EPOCH,
              "STARTED"));
    }

    @Override
    public QueuePollers pollers(String taskQueue) {
      pollers.incrementAndGet();
      return new QueuePollers(taskQueue, 2, Instant.EPOCH);
    }
  }
}
