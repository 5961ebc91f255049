package com.magicdistill.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.console.pages.RunStreams;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Stopping the console ends its open event streams first, so the web server's graceful shutdown
 * does not wait its whole timeout for a run page left open in a browser.
 */
class EventStreamsShutdownTest {
  @Test
  void stopEndsEveryPageStreamBeforeTheGracefulShutdown() {
    RunStreams pages = new RunStreams(null);
    SseEmitter first = pages.subscribe(() -> Map.of("status", "<b>RUNNING</b>"));
    SseEmitter second = pages.subscribe(() -> Map.of("status", "<b>QUEUED</b>"));
    assertEquals(2, pages.subscribers());

    pages.closeAll();

    assertEquals(0, pages.subscribers());
    for (SseEmitter e : new SseEmitter[] {first, second}) {
      // a completed emitter refuses to send: the stream is over
      assertThrows(IllegalStateException.class, () -> e.send("late"));
    }
  }

  @Test
  void itStopsBeforeTheWebServersGracefulShutdownPhase() {
    EventStreamsShutdown lifecycle = new EventStreamsShutdown(new RunStreams(null), null);
    // higher phases stop first
    assertTrue(lifecycle.getPhase() > WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
    lifecycle.start();
    assertTrue(lifecycle.isRunning());
    assertTrue(lifecycle.isAutoStartup());
    assertFalse(new EventStreamsShutdown(new RunStreams(null), null).isRunning());
  }
}
