package com.magicdistill.console.runs;

import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.db.RunEvents;
import com.magicdistill.db.RunEvents.RunEvent;
import com.magicdistill.db.TeamScope;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of runs: each subscriber gets the run's {@code run_events} rows (status,
 * stage, attempt; written by database triggers, so worker changes show too) after the id it last
 * saw ({@code Last-Event-ID}), then live ones, plus a {@code progress} event with the heartbeat of
 * a running stage. One poll per subscribed run every second, shared by its subscribers.
 */
@Component
public class RunEventHub {
  private static final Logger LOG = LoggerFactory.getLogger(RunEventHub.class);
  static final long TIMEOUT_MILLIS = 30 * 60 * 1000L;
  static final int MAX_SUBSCRIBERS = 1000;

  private final RunEvents events;
  private final RunService runs;
  private final Map<String, List<Subscriber>> byRun = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();

  private static final class Subscriber {
    final SseEmitter emitter;
    final TeamScope scope;
    volatile long lastId;

    Subscriber(SseEmitter emitter, TeamScope scope, long lastId) {
      this.emitter = emitter;
      this.scope = scope;
      this.lastId = lastId;
    }
  }

  public RunEventHub(ConsoleBackends backends, RunService runs) {
    this.events = new RunEvents(backends.dataSource());
    this.runs = runs;
  }

  /** Subscribes to a run the scope may see (404 otherwise, checked by the caller first). */
  public SseEmitter subscribe(TeamScope scope, String runId, long lastEventId) {
    runs.find(scope, runId);
    SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
    if (count.incrementAndGet() > MAX_SUBSCRIBERS) {
      count.decrementAndGet();
      throw new com.magicdistill.console.api.ApiException(
          503,
          "too-many-streams",
          "Too many event streams",
          "this console serves " + MAX_SUBSCRIBERS + " streams at most; retry later",
          List.of(),
          Map.of("Retry-After", "30"));
    }
    Subscriber s = new Subscriber(emitter, scope, Math.max(0, lastEventId));
    byRun.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>()).add(s);
    Runnable remove =
        () -> {
          List<Subscriber> list = byRun.get(runId);
          if (list != null && list.remove(s)) {
            count.decrementAndGet();
          }
        };
    emitter.onCompletion(remove);
    emitter.onTimeout(remove);
    emitter.onError(e -> remove.run());
    deliver(runId, s);
    return emitter;
  }

  @Scheduled(fixedDelayString = "${console.events.poll-millis:1000}")
  void poll() {
    for (Map.Entry<String, List<Subscriber>> e : byRun.entrySet()) {
      if (e.getValue().isEmpty()) {
        byRun.remove(e.getKey(), e.getValue());
        continue;
      }
      for (Subscriber s : e.getValue()) {
        deliver(e.getKey(), s);
      }
      progress(e.getKey(), e.getValue());
    }
  }

  private void deliver(String runId, Subscriber s) {
    try {
      for (RunEvent ev : events.after(runId, s.lastId, 200)) {
        s.emitter.send(
            SseEmitter.event()
                .id(Long.toString(ev.id()))
                .name(ev.type())
                .data(ev.payloadJson(), MediaType.APPLICATION_JSON));
        s.lastId = ev.id();
      }
    } catch (IOException | IllegalStateException e) {
      s.emitter.completeWithError(e);
    } catch (RuntimeException e) {
      LOG.debug("events of {}: {}", runId, e.toString());
    }
  }

  private void progress(String runId, List<Subscriber> subscribers) {
    RunViews.Live live;
    try {
      live = runs.detail(subscribers.get(0).scope, runId).live();
    } catch (RuntimeException e) {
      return;
    }
    if (live == null) {
      return;
    }
    for (Subscriber s : subscribers) {
      try {
        s.emitter.send(SseEmitter.event().name("progress").data(live, MediaType.APPLICATION_JSON));
      } catch (IOException | IllegalStateException e) {
        s.emitter.completeWithError(e);
      }
    }
  }

  /**
   * Ends every stream (the console is stopping): a browser's EventSource reconnects to the next
   * console by itself, and the web server's graceful shutdown no longer waits for open streams.
   */
  public void closeAll() {
    for (List<Subscriber> list : byRun.values()) {
      for (Subscriber s : list) {
        s.emitter.complete();
      }
    }
  }

  @Scheduled(fixedDelay = 15_000)
  void keepAlive() {
    for (List<Subscriber> list : byRun.values()) {
      for (Subscriber s : list) {
        try {
          s.emitter.send(SseEmitter.event().comment("keepalive"));
        } catch (IOException | IllegalStateException e) {
          s.emitter.completeWithError(e);
        }
      }
    }
  }
}
