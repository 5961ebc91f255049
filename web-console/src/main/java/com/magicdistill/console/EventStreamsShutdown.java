package com.magicdistill.console;

import com.magicdistill.console.pages.RunStreams;
import com.magicdistill.console.runs.RunEventHub;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Ends the pages' and the API's event streams when the console stops, before the web server's
 * graceful shutdown starts (this lifecycle's phase is later, so it stops first): an open run page
 * would otherwise hold the shutdown for its whole timeout (30 s). Browsers reconnect by themselves.
 */
@Component
public class EventStreamsShutdown implements SmartLifecycle {
  private final RunStreams pages;
  private final RunEventHub api;
  private volatile boolean running;

  public EventStreamsShutdown(RunStreams pages, RunEventHub api) {
    this.pages = pages;
    this.api = api;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    pages.closeAll();
    api.closeAll();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
