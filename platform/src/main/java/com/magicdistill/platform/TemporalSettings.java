package com.magicdistill.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the Temporal frontend is. Production: a real cluster ({@code MAGIC_TEMPORAL_ADDRESS},
 * {@code MAGIC_TEMPORAL_NAMESPACE}, mTLS with {@code MAGIC_TEMPORAL_TLS_CERT} and {@code
 * MAGIC_TEMPORAL_TLS_KEY}); the embedded default is the Java SDK's test server on loopback.
 *
 * @param target host:port of the frontend
 * @param embedded whether it is the embedded test server (sticky queues are then disabled: the test
 *     server never times a dead worker's sticky queue out)
 */
public record TemporalSettings(
    String target, String namespace, String tlsCert, String tlsKey, boolean embedded) {
  public static final int EMBEDDED_PORT = 7233;

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
  }

  public static TemporalSettings embedded(int port) {
    return new TemporalSettings("127.0.0.1:" + port, "default", null, null, true);
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
        Boolean.parseBoolean(env.getOrDefault("MAGIC_TEMPORAL_EMBEDDED", "false")));
  }

  public int port() {
    return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
  }
}
