package com.magicdistill.platform;

import com.magicdistill.db.DatabaseSettings;
import com.magicdistill.storage.S3Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Every endpoint a worker, launcher or console needs, typed, from environment variables with the
 * embedded stack as the default for each service that is not configured:
 *
 * <ul>
 *   <li>Temporal: {@code MAGIC_TEMPORAL_ADDRESS}, {@code MAGIC_TEMPORAL_NAMESPACE}, {@code
 *       MAGIC_TEMPORAL_TLS_CERT}/{@code _KEY}; default the test server on 127.0.0.1:7233;
 *   <li>S3: {@code MAGIC_S3_ENDPOINT}, {@code MAGIC_S3_ACCESS_KEY}, {@code MAGIC_S3_SECRET_KEY},
 *       {@code MAGIC_S3_BUCKET}; default S3Proxy on 127.0.0.1:9000;
 *   <li>PostgreSQL: {@code MAGIC_JDBC_URL}, {@code MAGIC_JDBC_USER}, {@code MAGIC_JDBC_PASSWORD};
 *       default embedded PostgreSQL on 127.0.0.1:5433;
 *   <li>{@code MAGIC_HOME}: embedded data and worker scratch (default {@code ~/.magicdistill}); the
 *       embedded S3 secret and PostgreSQL password are generated per home ({@link
 *       EmbeddedCredentials});
 *   <li>how a worker behaves: {@link WorkerSettings} ({@code MAGIC_RECONCILE_SECONDS}, {@code
 *       MAGIC_STALL_SECONDS}, {@code MAGIC_CODE_VERSION});
 *   <li>how the process runs in a deployment: {@link ProcessSettings} ({@code MAGIC_DB_MIGRATE},
 *       {@code MAGIC_JDBC_POOL_SIZE}, {@code MAGIC_METRICS_PORT}, {@code MAGIC_WORKER_IDENTITY}).
 * </ul>
 *
 * An invalid value fails {@link #fromEnv} with a message naming the variable, and so does a service
 * outside the embedded stack whose secret is a well-known default.
 */
public record PlatformConfig(
    TemporalSettings temporal,
    S3Settings s3,
    DatabaseSettings database,
    Path home,
    boolean embeddedS3,
    boolean embeddedDatabase,
    WorkerSettings worker,
    ProcessSettings process) {
  public static final int EMBEDDED_S3_PORT = 9000;
  public static final int EMBEDDED_DB_PORT = 5433;
  public static final String EMBEDDED_S3_ACCESS = "magicdistill";
  public static final String BUCKET = "magicdistill";

  /**
   * Credentials shipped as defaults or examples (earlier embedded defaults, MinIO's, {@code
   * deploy/worker.env.example}'s): a deployment outside the embedded stack must not use them.
   */
  static final Set<String> KNOWN_DEFAULT_S3_SECRETS =
      Set.of("magicdistill-local-secret", "minioadmin", "change-me");

  static final Set<String> KNOWN_DEFAULT_DB_PASSWORDS = Set.of("postgres", "change-me");

  public PlatformConfig {
    if (!embeddedS3 && KNOWN_DEFAULT_S3_SECRETS.contains(s3.secretKey())) {
      throw new IllegalArgumentException(
          S3Settings.ENV_SECRET_KEY
              + " holds a well-known default secret: set it to the secret key of your S3 server"
              + " (on Kubernetes from a Secret)");
    }
    if (!embeddedDatabase && KNOWN_DEFAULT_DB_PASSWORDS.contains(database.password())) {
      throw new IllegalArgumentException(
          DatabaseSettings.PASSWORD_VAR
              + " holds a well-known default password: give the database role a password of its"
              + " own and set it there (on Kubernetes from a Secret)");
    }
  }

  public static PlatformConfig fromEnv(Map<String, String> env) {
    Path home = homeOf(env);
    boolean anyEmbedded =
        !notBlank(env.get(S3Settings.ENV_ENDPOINT)) || !notBlank(env.get(DatabaseSettings.URL_VAR));
    // Only a deployment that embeds a service reads (or creates) that home's credentials.
    EmbeddedCredentials credentials =
        anyEmbedded ? EmbeddedCredentials.loadOrCreate(home) : NOT_EMBEDDED;
    return embeddedDefaults(
            home, TemporalSettings.EMBEDDED_PORT, EMBEDDED_S3_PORT, EMBEDDED_DB_PORT, credentials)
        .overriddenBy(env);
  }

  /** Stands in when neither S3 nor PostgreSQL is embedded; every field is then overridden. */
  private static final EmbeddedCredentials NOT_EMBEDDED =
      new EmbeddedCredentials("not-embedded", "not-embedded");

  /** {@code MAGIC_HOME}, default {@code ~/.magicdistill}. */
  public static Path homeOf(Map<String, String> env) {
    String home = env.get("MAGIC_HOME");
    return Path.of(
        home == null || home.isBlank() ? System.getProperty("user.home") + "/.magicdistill" : home);
  }

  /**
   * All three services embedded on the given loopback ports, data under {@code home}, with that
   * home's credentials (created on first use).
   */
  public static PlatformConfig embeddedDefaults(
      Path home, int temporalPort, int s3Port, int dbPort) {
    return embeddedDefaults(
        home, temporalPort, s3Port, dbPort, EmbeddedCredentials.loadOrCreate(home));
  }

  private static PlatformConfig embeddedDefaults(
      Path home, int temporalPort, int s3Port, int dbPort, EmbeddedCredentials credentials) {
    return new PlatformConfig(
        TemporalSettings.embedded(temporalPort),
        new S3Settings(
            "http://127.0.0.1:" + s3Port, EMBEDDED_S3_ACCESS, credentials.s3Secret(), BUCKET),
        new DatabaseSettings(
            "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres",
            EmbeddedDatabase.USER,
            credentials.databasePassword()),
        home,
        true,
        true,
        WorkerSettings.defaults(),
        ProcessSettings.defaults());
  }

  /** The services the environment configures replace the embedded ones. */
  public PlatformConfig overriddenBy(Map<String, String> env) {
    boolean s3Set = notBlank(env.get("MAGIC_S3_ENDPOINT"));
    boolean dbSet = notBlank(env.get("MAGIC_JDBC_URL"));
    TemporalSettings t =
        notBlank(env.get("MAGIC_TEMPORAL_ADDRESS")) ? TemporalSettings.fromEnv(env) : temporal;
    return new PlatformConfig(
        t,
        s3Set ? S3Settings.fromEnv(env, s3) : s3,
        dbSet ? DatabaseSettings.fromEnv(env) : database,
        home,
        !s3Set,
        !dbSet,
        worker.overriddenBy(env),
        process.overriddenBy(env));
  }

  /**
   * Environment variables that point another process (a second worker) at these services. Worker
   * settings are not among them: a child inherits this process's environment.
   */
  public Map<String, String> toEnv() {
    return Map.of(
        "MAGIC_TEMPORAL_ADDRESS", temporal.target(),
        "MAGIC_TEMPORAL_NAMESPACE", temporal.namespace(),
        "MAGIC_TEMPORAL_EMBEDDED", Boolean.toString(temporal.embedded()),
        "MAGIC_S3_ENDPOINT", s3.endpoint(),
        "MAGIC_S3_ACCESS_KEY", s3.accessKey(),
        "MAGIC_S3_SECRET_KEY", s3.secretKey(),
        "MAGIC_S3_BUCKET", s3.bucket(),
        "MAGIC_JDBC_URL", database.jdbcUrl(),
        "MAGIC_JDBC_USER", database.user(),
        "MAGIC_JDBC_PASSWORD", database.password() == null ? "" : database.password());
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
