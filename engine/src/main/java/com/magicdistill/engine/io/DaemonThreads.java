package com.magicdistill.engine.io;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Thread pools for work beside an upload, which must never keep the JVM alive. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A cached pool of daemon threads named {@code name}, each gone after a minute idle. */
  public static ExecutorService cachedPool(String name) {
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
