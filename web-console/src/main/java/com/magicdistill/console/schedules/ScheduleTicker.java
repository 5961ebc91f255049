package com.magicdistill.console.schedules;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.runs.RunRequest;
import com.magicdistill.console.runs.RunService;
import com.magicdistill.console.runs.SpecJson;
import com.magicdistill.db.ScheduleRepository;
import com.magicdistill.db.ScheduleRepository.ScheduleRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Fires cron schedules: every few seconds, each enabled schedule whose newest due tick (UTC) is
 * newer than its last one launches one run. The tick is claimed in the run's own transaction and
 * the run's Idempotency-Key is {@code schedule:<id>:<tick>}, so two console replicas launch each
 * tick once. Ticks missed while no console ran are skipped, not replayed.
 */
@Component
public class ScheduleTicker {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleTicker.class);

  private final ScheduleRepository schedules;
  private final RunService runs;

  public ScheduleTicker(ConsoleBackends backends, RunService runs) {
    this.schedules = new ScheduleRepository(backends.dataSource());
    this.runs = runs;
  }

  @Scheduled(fixedDelayString = "${console.schedules.poll-millis:5000}")
  void poll() {
    try {
      tick(Instant.now());
    } catch (RuntimeException e) {
      LOG.warn("schedules: {}", e.toString());
    }
  }

  /** Fires what is due at {@code now}; returns how many runs this call launched. */
  public int tick(Instant now) {
    int launched = 0;
    for (ScheduleRow s : schedules.enabled()) {
      Optional<Instant> due = dueTick(s, now);
      if (due.isEmpty()) {
        continue;
      }
      RunRequest request = SpecJson.readRequest(s.requestJson());
      Instant tick = due.get();
      Optional<RunService.Created> created;
      try {
        created =
            schedules.claimTick(
                s.id(),
                tick,
                () ->
                    runs.create(
                        new RunService.Launcher(s.teamId(), "schedule:" + s.id()),
                        request,
                        "schedule:" + s.id() + ":" + tick.getEpochSecond()));
      } catch (ApiException e) {
        // e.g. the team at its quota: the tick stays unclaimed and fires on a later poll
        LOG.warn("schedule {} could not launch its {} tick: {}", s.id(), tick, e.getMessage());
        continue;
      }
      if (created.isPresent() && !created.get().replayed()) {
        launched++;
        LOG.info("schedule {} launched run {} for tick {}", s.id(), created.get().run().id(), tick);
      }
    }
    return launched;
  }

  /** The newest tick at or before {@code now} that is after the last one (and the creation). */
  static Optional<Instant> dueTick(ScheduleRow s, Instant now) {
    CronExpression cron = CronExpression.parse(s.cron());
    Instant from = s.lastTickAt() != null ? s.lastTickAt() : s.createdAt();
    Instant floor = now.minusSeconds(86_400);
    if (from.isBefore(floor)) {
      from = floor;
    }
    ZonedDateTime t = ZonedDateTime.ofInstant(from, ZoneOffset.UTC);
    Instant due = null;
    for (int i = 0; i < 100_000; i++) {
      ZonedDateTime next = cron.next(t);
      if (next == null || next.toInstant().isAfter(now)) {
        break;
      }
      due = next.toInstant();
      t = next;
    }
    return Optional.ofNullable(due);
  }
}
