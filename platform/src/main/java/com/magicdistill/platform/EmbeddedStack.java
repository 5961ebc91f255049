package com.magicdistill.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: PostgreSQL (zonky, data under {@code <home>/postgres}), a local S3 server
 * (S3Proxy, objects under {@code <home>/s3}) and the Temporal test server, each on loopback, for
 * the services {@link PlatformConfig} does not point elsewhere. Writes {@code <home>/platform.env}
 * (0600: it holds the credentials) so other shells ({@code ./magic worker}, {@code ./magic run})
 * find them.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  private final PlatformConfig config;
  private EmbeddedDatabase database;
  private S3ProxyServer s3;
  private EmbeddedTemporal temporal;

  private EmbeddedStack(PlatformConfig config) {
    this.config = config;
  }

  public static EmbeddedStack start(PlatformConfig config) throws IOException {
    EmbeddedStack stack = new EmbeddedStack(config);
    try {
      stack.startAll();
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void startAll() throws IOException {
    Files.createDirectories(config.home());
    long t0 = System.nanoTime();
    if (config.embeddedDatabase()) {
      int port = portOf(config.database().jdbcUrl());
      database =
          EmbeddedDatabase.start(
              config.home().resolve("postgres"), port, config.database().password());
    }
    if (config.embeddedS3()) {
      int port = portOf(config.s3().endpoint());
      s3 =
          S3ProxyServer.start(
              config.home().resolve("s3"), port, config.s3().accessKey(), config.s3().secretKey());
    }
    if (config.temporal().embedded()) {
      temporal = EmbeddedTemporal.start(config.temporal().port());
    }
    // holds the S3 secret and the database password: owner-only from the start
    OwnerOnlyFiles.write(config.home().resolve("platform.env"), envFile(config.toEnv()));
    LOG.info(
        "embedded stack up in {} ms (home {})",
        (System.nanoTime() - t0) / 1_000_000,
        config.home());
  }

  private static String envFile(Map<String, String> env) {
    return env.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  static int portOf(String url) {
    var m = java.util.regex.Pattern.compile("://[^/:]+:(\\d+)").matcher(url);
    if (!m.find()) {
      throw new IllegalArgumentException("no port in " + url);
    }
    return Integer.parseInt(m.group(1));
  }

  public PlatformConfig config() {
    return config;
  }

  /** The embedded S3 server (for tests that stop it), or null when S3 is external. */
  public S3ProxyServer s3() {
    return s3;
  }

  /** The embedded Temporal server (for tests that restart it), or null when external. */
  public EmbeddedTemporal temporal() {
    return temporal;
  }

  public EmbeddedDatabase database() {
    return database;
  }

  @Override
  public void close() {
    if (temporal != null) {
      temporal.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (database != null) {
      database.close();
    }
  }
}
