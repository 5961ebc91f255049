package com.magicdistill.console.pages;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Server-sent events for the pages: every 2 s each subscription renders its HTML fragments and
 * sends only those that changed (htmx {@code sse-swap} puts them in place), so live updates never
 * reload the page under the user. Fragments rendered here have no request: they use plain hrefs.
 */
@Component
public class RunStreams {
  static final long TIMEOUT_MS = 30 * 60 * 1000L;
  static final int MAX_SUBSCRIPTIONS = 1000;

  /** Event name to HTML; an empty map ends the stream. */
  public interface Source extends Supplier<Map<String, String>> {}

  private static final class Subscription {
    final SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
    final Source source;
    final Map<String, String> last = new HashMap<>();
    long ticks;

    Subscription(Source source) {
      this.source = source;
    }
  }

  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final ITemplateEngine templates;

  public RunStreams(ITemplateEngine templates) {
    this.templates = templates;
  }

  public SseEmitter subscribe(Source source) {
    return subscribe(source, Map.of());
  }

  /** As {@link #subscribe(Source)}, for a page that already shows {@code alreadyShown}'s HTML. */
  public SseEmitter subscribe(Source source, Map<String, String> alreadyShown) {
    Subscription s = new Subscription(source);
    s.last.putAll(alreadyShown);
    if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
      s.emitter.complete();
      return s.emitter;
    }
    s.emitter.onCompletion(() -> subscriptions.remove(s));
    s.emitter.onTimeout(() -> subscriptions.remove(s));
    s.emitter.onError(e -> subscriptions.remove(s));
    subscriptions.add(s);
    return s.emitter;
  }

  /** {@code template}'s fragment {@code fragment} with {@code vars}, on one line. */
  public String render(String template, String fragment, Map<String, Object> vars) {
    Context c = new Context(Locale.ENGLISH, vars);
    return templates.process(template, Set.of(fragment), c).replace('\n', ' ').replace('\r', ' ');
  }

  public int subscribers() {
    return subscriptions.size();
  }

  /** Ends every stream (the console is stopping; htmx's EventSource reconnects by itself). */
  public void closeAll() {
    for (Subscription s : subscriptions) {
      s.emitter.complete();
      subscriptions.remove(s);
    }
  }

  @Scheduled(fixedDelay = 2000, initialDelay = 1000)
  void tick() {
    for (Subscription s : subscriptions) {
      try {
        Map<String, String> events = s.source.get();
        if (events.isEmpty()) {
          s.emitter.complete();
          subscriptions.remove(s);
          continue;
        }
        boolean sent = false;
        for (Map.Entry<String, String> e : events.entrySet()) {
          if (!e.getValue().equals(s.last.get(e.getKey()))) {
            s.emitter.send(SseEmitter.event().name(e.getKey()).data(e.getValue()));
            s.last.put(e.getKey(), e.getValue());
            sent = true;
          }
        }
        if (!sent && ++s.ticks % 8 == 0) {
          s.emitter.send(SseEmitter.event().comment("keepalive"));
        }
      } catch (IOException | RuntimeException e) {
        s.emitter.completeWithError(e);
        subscriptions.remove(s);
      }
    }
  }
}
