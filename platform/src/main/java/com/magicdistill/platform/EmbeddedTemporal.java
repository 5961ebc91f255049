package com.magicdistill.platform;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal Java SDK's test server as a real gRPC endpoint on 127.0.0.1 (the stock main binds
 * every interface). It keeps all state in memory: a restart forgets every workflow, which {@link
 * Reconciler} repairs from PostgreSQL.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedTemporal.class);

  private final int port;
  private TestServicesStarter services;
  private Server server;

  private EmbeddedTemporal(int port) {
    this.port = port;
  }

  public static EmbeddedTemporal start(int port) throws IOException {
    EmbeddedTemporal t = new EmbeddedTemporal(port);
    t.startServer();
    return t;
  }

  private void startServer() throws IOException {
    // Time skipping locked (off): with it, a workflow waiting for a signal jumps to its timeout.
    services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    server = builder.build().start();
    LOG.info("Temporal test server listening on 127.0.0.1:{}", port);
  }

  /** Stops the server (all workflow state is lost). */
  public void stop() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      services.close();
      server = null;
      LOG.info("Temporal test server on port {} stopped", port);
    }
  }

  /** Stops and starts a fresh server on the same port, as a crash and restart would. */
  public void restart() throws IOException {
    stop();
    startServer();
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop();
  }
}
