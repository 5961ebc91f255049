package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestrationTimelineTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  private static HistoryEvent event(EventType type, long ms) {
    Instant t = at(ms);
    return HistoryEvent.newBuilder()
        .setEventType(type)
        .setEventTime(
            Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build())
        .build();
  }

  @Test
  void splitsTheTimeOutsideAttemptsIntoItsSegments() {
    // launch at 0, started at 30; two stages: scheduled 50 / attempt 60..1060 / completed 1075,
    // scheduled 1125 / attempt 1145..2145 / completed 2150; workflow completed 2190; result 2200
    List<HistoryEvent> events =
        List.of(
            event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 30),
            event(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 31),
            event(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 35),
            event(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 45),
            event(EventType.EVENT_TYPE_MARKER_RECORDED, 46),
            event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 50),
            event(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, 55),
            event(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, 1075),
            event(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 1076),
            event(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 1086),
            event(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 1120),
            event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 1125),
            event(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, 2150),
            event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 2190));
    List<OrchestrationTimeline.Attempt> attempts =
        List.of(
            new OrchestrationTimeline.Attempt(at(60), at(1060)),
            new OrchestrationTimeline.Attempt(at(1145), at(2145)));

    Map<String, Double> s = OrchestrationTimeline.segments(at(0), at(2200), events, attempts);

    List<String> keys = new ArrayList<>(OrchestrationTimeline.SEGMENTS);
    keys.addAll(OrchestrationTimeline.WORKFLOW_TASKS);
    assertEquals(keys, new ArrayList<>(s.keySet()));
    assertEquals(0.030, s.get("launch"), 1e-9);
    assertEquals(0.020 + 0.050, s.get("before_dispatch"), 1e-9);
    assertEquals(0.010 + 0.020, s.get("dispatch"), 1e-9);
    assertEquals(0.015 + 0.005, s.get("completion"), 1e-9);
    assertEquals(0.040, s.get("finish"), 1e-9);
    assertEquals(0.010, s.get("result"), 1e-9);
    assertEquals(0.004 + 0.010, s.get("workflow_task_wait"), 1e-9);
    assertEquals(0.010 + 0.034, s.get("workflow_task_run"), 1e-9);
    // the segments add up to the wall time minus the attempts' own time
    double sum = OrchestrationTimeline.SEGMENTS.stream().mapToDouble(s::get).sum();
    assertEquals(2.200 - 1.000 - 1.000, sum, 1e-9);
  }

  @Test
  void refusesAHistoryWithAnotherNumberOfActivitiesThanAttempts() {
    List<HistoryEvent> events =
        List.of(
            event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0),
            event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 10),
            event(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, 20),
            event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 30));
    List<OrchestrationTimeline.Attempt> two =
        List.of(
            new OrchestrationTimeline.Attempt(at(11), at(19)),
            new OrchestrationTimeline.Attempt(at(21), at(29)));
    assertThrows(
        IllegalArgumentException.class,
        () -> OrchestrationTimeline.segments(at(0), at(40), events, two));
  }
}
