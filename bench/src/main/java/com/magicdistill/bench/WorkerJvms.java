package com.magicdistill.bench;

import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.WorkerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's worker JVMs, each a child process logging to {@code <dir>/<name>.log}, with this
 * JVM's {@code OMP_NUM_THREADS} (if set) and DJL cache; stopped with SIGTERM (they drain), then
 * killed after {@code stopWait}.
 */
final class WorkerJvms implements AutoCloseable {
  private final PlatformConfig config;
  private final Path dir;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Duration stopWait;
  private final Map<String, Process> workers = new LinkedHashMap<>();
  private int spawned;

  /**
   * @param extraEnv settings every worker gets on top of the platform's
   */
  WorkerJvms(PlatformConfig config, Path dir, Map<String, String> extraEnv, Duration stopWait) {
    this.config = config;
    this.dir = dir;
    this.stopWait = stopWait;
    String omp = System.getenv("OMP_NUM_THREADS");
    if (omp != null) {
      env.put("OMP_NUM_THREADS", omp);
    }
    env.put(
        "DJL_CACHE_DIR",
        System.getenv()
            .getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"));
    env.putAll(extraEnv);
  }

  /** Starts worker {@code name} with {@code args} ({@code [queue,...] [slots] [role]}). */
  Process spawn(String name, List<String> args) throws IOException {
    Process p = WorkerMain.spawn(config, env, log(name), args);
    workers.put(name, p);
    spawned++;
    return p;
  }

  /** How many workers were started so far (stopped ones included). */
  int spawned() {
    return spawned;
  }

  /** The worker process whose identity is {@code worker-<pid>@host}. */
  Process byIdentity(String identity) {
    String pid = identity.substring(identity.indexOf('-') + 1, identity.indexOf('@'));
    return workers.values().stream()
        .filter(p -> Long.toString(p.pid()).equals(pid))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no worker process of this benchmark is " + identity));
  }

  /** Whether worker {@code name}'s log says it serves its queues. */
  boolean serving(String name) {
    Path log = log(name);
    try {
      return Files.exists(log) && Files.readString(log).contains(") serving ");
    } catch (IOException e) {
      return false;
    }
  }

  private Path log(String name) {
    return dir.resolve(name + ".log");
  }

  @Override
  public void close() {
    workers.values().forEach(Process::destroy);
    for (Process p : workers.values()) {
      try {
        if (!p.waitFor(stopWait.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    workers.clear();
  }
}
