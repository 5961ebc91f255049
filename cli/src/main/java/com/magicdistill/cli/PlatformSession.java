package com.magicdistill.cli;

import com.magicdistill.platform.Connections;
import com.magicdistill.platform.EmbeddedStack;
import com.magicdistill.platform.PlatformConfig;
import com.magicdistill.platform.WorkerMain;
import com.magicdistill.platform.WorkerProcess;
import com.magicdistill.workflows.TaskQueues;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a platform command connects to: the services the environment names, else the embedded stack
 * of {@code ./magic up} (found by its port); with {@code startIfMissing}, an embedded stack and a
 * worker in this process when none is running.
 */
final class PlatformSession implements AutoCloseable {
  private final EmbeddedStack stack;
  private final Connections connections;
  private final WorkerProcess worker;

  private PlatformSession(EmbeddedStack stack, Connections connections, WorkerProcess worker) {
    this.stack = stack;
    this.connections = connections;
    this.worker = worker;
  }

  static PlatformConfig config() {
    Map<String, String> env = new HashMap<>(System.getenv());
    return PlatformConfig.fromEnv(env);
  }

  /** Connects; with {@code startIfMissing}, starts the embedded stack and a worker if needed. */
  static PlatformSession open(boolean startIfMissing, int slots) throws IOException {
    PlatformConfig config = config();
    boolean reachable = listening(config.temporal().target());
    if (reachable) {
      return new PlatformSession(null, new Connections(config), null);
    }
    if (!startIfMissing || !config.temporal().embedded()) {
      throw new IOException(
          "no Temporal frontend at "
              + config.temporal().target()
              + ": start the embedded stack with ./magic up, or set MAGIC_TEMPORAL_ADDRESS");
    }
    System.err.println(
        "magic: no ./magic up is running: starting the embedded stack and a worker in this process");
    EmbeddedStack stack = EmbeddedStack.start(config);
    Connections c = new Connections(config);
    WorkerProcess w = worker(c, List.of(TaskQueues.GPU), slots);
    return new PlatformSession(stack, c, w);
  }

  static WorkerProcess worker(Connections c, List<String> queues, int slots) throws IOException {
    return WorkerMain.start(c, queues, slots);
  }

  static boolean listening(String target) {
    int colon = target.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))),
          500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  Connections connections() {
    return connections;
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    connections.close();
    if (stack != null) {
      stack.close();
    }
  }
}
