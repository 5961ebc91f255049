package com.magicdistill.console.runs;

import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.pages.RunStreams;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.RunQueries;
import com.magicdistill.db.RunQueries.RunSummary;
import com.magicdistill.db.StageRow;
import com.magicdistill.db.TeamScope;
import com.magicdistill.workflows.RunStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The runs list (the console's start page): status chips with counts, preset, id/name prefix and
 * created-date filters, all in the URL; keyset pages ("Older"); in-flight rows update over SSE.
 */
@Controller
public class RunPagesController {
  private final ConsoleRepositories repositories;
  private final RunStreams streams;

  public RunPagesController(ConsoleRepositories repositories, RunStreams streams) {
    this.repositories = repositories;
    this.streams = streams;
  }

  /** A list row: the run and its stages in order. */
  public record RunRow(RunSummary run, List<StageRow> stages) {}

  @GetMapping("/runs")
  String runs(
      @AuthenticationPrincipal ConsoleUser user,
      @RequestParam(required = false) List<String> status,
      @RequestParam(required = false) String preset,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String cursor,
      Model model) {
    List<String> problems = new ArrayList<>();
    Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
    for (String s : status == null ? List.<String>of() : status) {
      for (String one : s.split(",")) {
        if (one.isBlank()) {
          continue;
        }
        try {
          statuses.add(RunStatus.valueOf(one.strip().toUpperCase()));
        } catch (IllegalArgumentException e) {
          problems.add("status " + one + " is unknown: use one of the chips");
        }
      }
    }
    Instant after = day(from, 0, "from", problems);
    Instant before = day(to, 1, "to", problems);
    RunQueries.Cursor start = null;
    try {
      start = RunCursor.decodeOrNull(cursor);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    String query = q == null ? null : q.strip();
    if (query != null && query.length() > 100) {
      query = query.substring(0, 100);
    }
    RunQueries.RunFilter filter =
        new RunQueries.RunFilter(
            statuses, preset == null || preset.isBlank() ? null : preset, query, after, before);
    TeamScope scope = user.scope();
    RunQueries.Page page = repositories.runs().list(scope, filter, start, 50);
    List<RunRow> rows = new ArrayList<>();
    for (RunSummary r : page.items()) {
      rows.add(new RunRow(r, repositories.pipeline().stages().stages(r.id())));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (RunStatus s : RunStatus.values()) {
      counts.put(s.name(), 0L);
    }
    repositories.runs().counts(scope).forEach(c -> counts.put(c.status().name(), c.runs()));
    List<String> live =
        page.items().stream().filter(r -> r.status().isInFlight()).map(RunSummary::id).toList();
    model.addAttribute("rows", rows);
    model.addAttribute("counts", counts);
    model.addAttribute("selected", statuses.stream().map(Enum::name).toList());
    model.addAttribute("preset", preset);
    model.addAttribute("q", query);
    model.addAttribute("from", from);
    model.addAttribute("to", to);
    model.addAttribute("problems", problems);
    model.addAttribute("liveIds", String.join(",", live));
    model.addAttribute("nextCursor", page.next() == null ? null : RunCursor.encode(page.next()));
    model.addAttribute(
        "filtered",
        !statuses.isEmpty()
            || filter.preset() != null
            || (query != null && !query.isEmpty())
            || after != null
            || before != null);
    return "runs";
  }

  private static Instant day(String text, int plusDays, String field, List<String> problems) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(text.strip())
          .plusDays(plusDays)
          .atStartOfDay(ZoneOffset.UTC)
          .toInstant();
    } catch (DateTimeParseException e) {
      problems.add(field + " is not a date: use YYYY-MM-DD");
      return null;
    }
  }

  /** Live cells of the listed in-flight runs: event {@code run-<id>} per row, when it changes. */
  @GetMapping(path = "/runs/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter stream(@AuthenticationPrincipal ConsoleUser user, @RequestParam String ids) {
    TeamScope scope = user.scope();
    List<String> watched =
        List.of(ids.split(",")).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .limit(50)
            .toList();
    return streams.subscribe(
        () -> {
          Map<String, String> events = new LinkedHashMap<>();
          for (String id : watched) {
            repositories
                .runs()
                .find(scope, id)
                .ifPresent(
                    r -> {
                      Map<String, Object> vars = new LinkedHashMap<>();
                      vars.put("status", r.status().name());
                      vars.put("stages", repositories.pipeline().stages().stages(id));
                      events.put("run-" + id, streams.render("fragments", "runcell", vars));
                    });
          }
          if (events.isEmpty()) {
            events.put("noop", "");
          }
          return events;
        });
  }
}
