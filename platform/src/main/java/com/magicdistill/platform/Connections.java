package com.magicdistill.platform;

import com.magicdistill.db.Database;
import com.magicdistill.db.Repositories;
import com.magicdistill.storage.S3ObjectStore;
import com.magicdistill.workflows.PipelineClient;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import com.zaxxer.hikari.HikariDataSource;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of one process: Temporal, S3 (bucket created if missing) and PostgreSQL (Flyway
 * migrations applied on connect, or only checked with {@code MAGIC_DB_MIGRATE=validate}). Closing
 * releases them all (okhttp and gRPC threads included).
 */
public final class Connections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private final PlatformConfig config;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final S3ObjectStore store;
  private final HikariDataSource dataSource;
  private final Repositories repositories;
  private final Scope metricsScope;

  public Connections(PlatformConfig config) throws IOException {
    this(config, null);
  }

  /**
   * @param metrics where Temporal's SDK metrics go (e.g. temporal_worker_task_slots_used), or null
   *     for none
   */
  public Connections(PlatformConfig config, MeterRegistry metrics) throws IOException {
    this.config = config;
    this.dataSource = Database.connect(config.database(), config.process().poolSize());
    try {
      if (config.process().migrate()) {
        Database.migrate(dataSource);
      } else {
        Database.requireCurrent(dataSource);
      }
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    this.repositories = Repositories.of(dataSource);
    this.store = new S3ObjectStore(config.s3());
    store.ensureBucket();
    WorkflowServiceStubsOptions.Builder stubs = stubOptions(config.temporal());
    if (metrics != null) {
      this.metricsScope = temporalMetrics(metrics, 10);
      stubs.setMetricsScope(metricsScope);
    } else {
      this.metricsScope = null;
    }
    this.service = WorkflowServiceStubs.newServiceStubs(stubs.build());
    this.client = WorkflowClient.newInstance(service, clientOptions(config));
    LOG.info(
        "connected: Temporal {} ({}), S3 {} bucket {}, PostgreSQL {}",
        config.temporal().target(),
        config.temporal().namespace(),
        config.s3().endpoint(),
        config.s3().bucket(),
        config.database().jdbcUrl().split("\\?", 2)[0]); // the query may carry a password
  }

  /**
   * How to reach the Temporal frontend: TLS with the client certificate, CA and server name that
   * are set; the API key as {@code Authorization: Bearer} on every call (Temporal Cloud).
   */
  static WorkflowServiceStubsOptions.Builder stubOptions(TemporalSettings t) throws IOException {
    WorkflowServiceStubsOptions.Builder stubs =
        WorkflowServiceStubsOptions.newBuilder().setTarget(t.target());
    if (t.tlsCert() != null || t.tlsCa() != null) {
      try {
        SslContextBuilder ssl = GrpcSslContexts.forClient();
        if (t.tlsCert() != null) {
          ssl.keyManager(new File(t.tlsCert()), new File(t.tlsKey()));
        }
        if (t.tlsCa() != null) {
          ssl.trustManager(new File(t.tlsCa()));
        }
        stubs.setSslContext(ssl.build());
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            "cannot use the Temporal TLS files (MAGIC_TEMPORAL_TLS_CERT, MAGIC_TEMPORAL_TLS_KEY,"
                + " MAGIC_TEMPORAL_TLS_CA): "
                + e.getMessage(),
            e);
      }
    } else if (t.tls()) {
      stubs.setEnableHttps(true); // the system's trust store
    }
    if (t.tlsServerName() != null) {
      String name = t.tlsServerName();
      stubs.setChannelInitializer(channel -> channel.overrideAuthority(name));
    }
    if (t.apiKey() != null) {
      String key = t.apiKey();
      stubs.addApiKey(() -> key);
    }
    return stubs;
  }

  /** Temporal SDK metrics (tally) reported into {@code registry} every {@code seconds}. */
  static Scope temporalMetrics(MeterRegistry registry, int seconds) {
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofSeconds(seconds));
  }

  private static WorkflowClientOptions clientOptions(PlatformConfig config) {
    WorkflowClientOptions.Builder b =
        WorkflowClientOptions.newBuilder().setNamespace(config.temporal().namespace());
    if (config.process().workerIdentity() != null) {
      b.setIdentity(config.process().workerIdentity());
    }
    return b.build();
  }

  public PlatformConfig config() {
    return config;
  }

  public WorkflowClient workflowClient() {
    return client;
  }

  public PipelineClient pipeline() {
    return new PipelineClient(client);
  }

  public RunLauncher launcher() {
    return new RunLauncher(repositories, pipeline(), config.worker().codeVersion());
  }

  public S3ObjectStore store() {
    return store;
  }

  /** The PostgreSQL pool (for the reconciler's leader lock and readiness). */
  public DataSource dataSource() {
    return dataSource;
  }

  public Repositories repositories() {
    return repositories;
  }

  @Override
  public void close() {
    service.shutdownNow();
    if (metricsScope != null) {
      try {
        metricsScope.close();
      } catch (ScopeCloseException e) {
        LOG.debug("metrics scope did not close cleanly: {}", e.toString());
      }
    }
    try {
      store.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      dataSource.close();
    }
  }
}
