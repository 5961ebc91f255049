package com.magicdistill.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the Temporal frontend is and how to authenticate. Production: a real cluster ({@code
 * MAGIC_TEMPORAL_ADDRESS}, {@code MAGIC_TEMPORAL_NAMESPACE}), over TLS when any of these is set:
 * mTLS with {@code MAGIC_TEMPORAL_TLS_CERT} and {@code MAGIC_TEMPORAL_TLS_KEY}, a CA to trust
 * instead of the system's ({@code MAGIC_TEMPORAL_TLS_CA}), the name to verify the server's
 * certificate against ({@code MAGIC_TEMPORAL_TLS_SERVER_NAME}), an API key sent as {@code
 * Authorization: Bearer} (Temporal Cloud, {@code MAGIC_TEMPORAL_API_KEY}). The embedded default is
 * the Java SDK's test server on loopback. {@link #toString()} never shows the API key.
 *
 * @param target host:port of the frontend
 * @param tlsCert client certificate (PEM) file, or null
 * @param tlsKey its private key (PKCS#8 PEM) file, or null
 * @param tlsCa CA certificate (PEM) file the server's certificate must chain to, or null for the
 *     system's trust store
 * @param tlsServerName the name the server's certificate must carry (also the authority and SNI),
 *     or null for the host of {@code target}
 * @param apiKey API key, or null
 * @param embedded whether it is the embedded test server (sticky queues are then disabled: the test
 *     server never times a dead worker's sticky queue out)
 */
public record TemporalSettings(
    String target,
    String namespace,
    String tlsCert,
    String tlsKey,
    String tlsCa,
    String tlsServerName,
    String apiKey,
    boolean embedded) {
  public static final int EMBEDDED_PORT = 7233;
  public static final String TLS_CA = "MAGIC_TEMPORAL_TLS_CA";
  public static final String TLS_SERVER_NAME = "MAGIC_TEMPORAL_TLS_SERVER_NAME";
  public static final String API_KEY = "MAGIC_TEMPORAL_API_KEY";

  public TemporalSettings {
    if (target == null || !target.matches("[^:/\\s]+:\\d{1,5}")) {
      throw new IllegalArgumentException(
          "temporal.target is invalid (got "
              + target
              + "): set MAGIC_TEMPORAL_ADDRESS to host:port");
    }
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException(
          "temporal.namespace is empty: set MAGIC_TEMPORAL_NAMESPACE (default: default)");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException(
          "temporal TLS needs both MAGIC_TEMPORAL_TLS_CERT and MAGIC_TEMPORAL_TLS_KEY (got only one)");
    }
    for (String f : new String[] {tlsCert, tlsKey}) {
      if (f != null && !Files.isReadable(Path.of(f))) {
        throw new IllegalArgumentException(
            "temporal TLS file " + f + " is not readable: check MAGIC_TEMPORAL_TLS_CERT/KEY");
      }
    }
    if (tlsCa != null && !Files.isReadable(Path.of(tlsCa))) {
      throw new IllegalArgumentException(
          "temporal TLS CA file " + tlsCa + " is not readable: check " + TLS_CA);
    }
    if (tlsServerName != null
        && !tlsServerName.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
      throw new IllegalArgumentException(
          TLS_SERVER_NAME
              + " is invalid (got '"
              + tlsServerName
              + "'): use the host name on the server's certificate, e.g. temporal.example.com");
    }
    if (apiKey != null && (apiKey.isEmpty() || !apiKey.matches("\\p{Graph}+"))) {
      // never echo the key
      throw new IllegalArgumentException(
          API_KEY + " is invalid: an API key is one line of printable characters without spaces");
    }
  }

  public static TemporalSettings embedded(int port) {
    return new TemporalSettings("127.0.0.1:" + port, "default", null, null, null, null, null, true);
  }

  /** From the environment; without {@code MAGIC_TEMPORAL_ADDRESS}, the embedded default. */
  public static TemporalSettings fromEnv(Map<String, String> env) {
    String target = env.get("MAGIC_TEMPORAL_ADDRESS");
    if (target == null || target.isBlank()) {
      return embedded(EMBEDDED_PORT);
    }
    return new TemporalSettings(
        target,
        env.getOrDefault("MAGIC_TEMPORAL_NAMESPACE", "default"),
        env.get("MAGIC_TEMPORAL_TLS_CERT"),
        env.get("MAGIC_TEMPORAL_TLS_KEY"),
        set(env, TLS_CA),
        set(env, TLS_SERVER_NAME),
        set(env, API_KEY),
        Boolean.parseBoolean(env.getOrDefault("MAGIC_TEMPORAL_EMBEDDED", "false")));
  }

  private static String set(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  public int port() {
    return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
  }

  /** Whether the connection uses TLS: any TLS setting or an API key (sent only over TLS). */
  public boolean tls() {
    return tlsCert != null || tlsCa != null || tlsServerName != null || apiKey != null;
  }

  /** Everything but the API key. */
  @Override
  public String toString() {
    return "TemporalSettings[target="
        + target
        + ", namespace="
        + namespace
        + ", tlsCert="
        + tlsCert
        + ", tlsKey="
        + tlsKey
        + ", tlsCa="
        + tlsCa
        + ", tlsServerName="
        + tlsServerName
        + ", apiKey="
        + (apiKey == null ? "(none)" : "****")
        + ", embedded="
        + embedded
        + "]";
  }
}
