package com.magicdistill.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run's time outside its stage attempts goes, from the workflow's history (event times
 * written by the Temporal server) and the attempts' start and end in PostgreSQL (written by the
 * stage activity): the orchestration between "launched" and "done", split into segments that each
 * name who spends them. All clocks are this machine's.
 *
 * <ul>
 *   <li>{@code launch}: the launch call until the workflow started (the run's rows, the start RPC);
 *   <li>{@code before_dispatch}: workflow started, or the previous stage's activity completed,
 *       until the next stage's activity is scheduled (workflow tasks and the bookkeeping local
 *       activities);
 *   <li>{@code dispatch}: activity scheduled until its attempt recorded its start (the stage
 *       worker's poll, the activity's own set-up);
 *   <li>{@code completion}: the attempt recorded its end until the server recorded the activity
 *       completed;
 *   <li>{@code finish}: the last activity completed until the workflow completed;
 *   <li>{@code result}: the workflow completed until the caller's wait for the result returned.
 * </ul>
 */
final class OrchestrationTimeline {
  static final List<String> SEGMENTS =
      List.of("launch", "before_dispatch", "dispatch", "completion", "finish", "result");

  /**
   * Within {@code before_dispatch} and {@code finish}: the workflow tasks, from scheduled to
   * started (waiting for the pipeline worker's poll) and from started to completed (the workflow
   * code on the worker, its bookkeeping local activities included). Not added to the segments.
   */
  static final List<String> WORKFLOW_TASKS = List.of("workflow_task_wait", "workflow_task_run");

  /** One stage attempt's start and end as the activity recorded them. */
  record Attempt(Instant startedAt, Instant endedAt) {}

  private OrchestrationTimeline() {}

  /**
   * Seconds per segment for one run ({@link #SEGMENTS}, then {@link #WORKFLOW_TASKS}).
   *
   * @param launched when the launch call began
   * @param returned when waiting for the result returned
   * @param events the workflow's history
   * @param attempts the run's attempts in stage order, one per stage activity
   */
  static Map<String, Double> segments(
      Instant launched, Instant returned, List<HistoryEvent> events, List<Attempt> attempts) {
    Instant started = null;
    Instant completed = null;
    Instant taskScheduled = null;
    Instant taskStarted = null;
    double taskWait = 0;
    double taskRun = 0;
    List<Instant> scheduled = new ArrayList<>();
    List<Instant> done = new ArrayList<>();
    for (HistoryEvent e : events) {
      Instant t = instant(e);
      EventType type = e.getEventType();
      if (type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
        started = t;
      } else if (type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
        completed = t;
      } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduled.add(t);
      } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        done.add(t);
      } else if (type == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) {
        taskScheduled = t;
      } else if (type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED && taskScheduled != null) {
        taskWait += seconds(taskScheduled, t);
        taskStarted = t;
      } else if (type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && taskStarted != null) {
        taskRun += seconds(taskStarted, t);
        taskScheduled = null;
        taskStarted = null;
      }
    }
    if (started == null || completed == null) {
      throw new IllegalArgumentException("the history has no workflow start or completion");
    }
    if (scheduled.size() != attempts.size() || done.size() != attempts.size()) {
      throw new IllegalArgumentException(
          scheduled.size()
              + " activities scheduled and "
              + done.size()
              + " completed for "
              + attempts.size()
              + " attempts: one attempt per stage expected");
    }
    Map<String, Double> s = new LinkedHashMap<>();
    SEGMENTS.forEach(k -> s.put(k, 0.0));
    add(s, "launch", launched, started);
    Instant previous = started;
    for (int i = 0; i < attempts.size(); i++) {
      add(s, "before_dispatch", previous, scheduled.get(i));
      add(s, "dispatch", scheduled.get(i), attempts.get(i).startedAt());
      add(s, "completion", attempts.get(i).endedAt(), done.get(i));
      previous = done.get(i);
    }
    add(s, "finish", previous, completed);
    add(s, "result", completed, returned);
    s.put("workflow_task_wait", taskWait);
    s.put("workflow_task_run", taskRun);
    return s;
  }

  private static void add(Map<String, Double> s, String key, Instant from, Instant to) {
    s.merge(key, seconds(from, to), Double::sum);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  private static Instant instant(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }
}
