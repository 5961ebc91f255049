package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.serviceclient.GrpcMetadataProvider;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal TLS (CA, server name, client certificate) and API key: parsed from the environment,
 * errors naming the variable, and carried into the SDK's connection options (no server needed).
 */
class TemporalConnectionOptionsTest {
  private static final String KEY = "tcld-api-key-0123456789abcdef";

  private static Path tls(String file) {
    try {
      return Path.of(
          TemporalConnectionOptionsTest.class.getResource("/temporal-tls/" + file).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TemporalSettings settings(String... kv) {
    Map<String, String> env = new HashMap<>();
    env.put("MAGIC_TEMPORAL_ADDRESS", "temporal.example.com:7233");
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return TemporalSettings.fromEnv(env);
  }

  private static void assertRejectedNaming(String variable, String... kv) {
    var e = assertThrows(IllegalArgumentException.class, () -> settings(kv));
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }

  @Test
  void theVariablesAreParsed() {
    TemporalSettings t =
        settings(
            "MAGIC_TEMPORAL_TLS_CA",
            tls("ca.pem").toString(),
            "MAGIC_TEMPORAL_TLS_SERVER_NAME",
            " temporal.internal ",
            "MAGIC_TEMPORAL_API_KEY",
            KEY);
    assertEquals(tls("ca.pem").toString(), t.tlsCa());
    assertEquals("temporal.internal", t.tlsServerName());
    assertEquals(KEY, t.apiKey());
    assertTrue(t.tls());
    TemporalSettings plain = settings("MAGIC_TEMPORAL_API_KEY", " ");
    assertNull(plain.apiKey());
    assertFalse(plain.tls());
  }

  @Test
  void badValuesNameTheirVariableAndNeverEchoTheKey(@TempDir Path dir) {
    assertRejectedNaming(
        "MAGIC_TEMPORAL_TLS_CA", "MAGIC_TEMPORAL_TLS_CA", dir.resolve("none.pem").toString());
    assertRejectedNaming(
        "MAGIC_TEMPORAL_TLS_SERVER_NAME", "MAGIC_TEMPORAL_TLS_SERVER_NAME", "https://t:1");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> settings("MAGIC_TEMPORAL_API_KEY", "secret part\nsecond line"));
    assertTrue(e.getMessage().contains("MAGIC_TEMPORAL_API_KEY"), e.getMessage());
    assertFalse(e.getMessage().contains("secret part"), e.getMessage());
  }

  @Test
  void toStringNeverShowsTheApiKey() {
    TemporalSettings t = settings("MAGIC_TEMPORAL_API_KEY", KEY);
    assertFalse(t.toString().contains(KEY), t.toString());
    PlatformConfig c =
        PlatformConfig.fromEnv(
            Map.of(
                "MAGIC_TEMPORAL_ADDRESS", "t:7233",
                "MAGIC_TEMPORAL_API_KEY", KEY,
                "MAGIC_S3_ENDPOINT", "http://s3:9000",
                "MAGIC_S3_SECRET_KEY", "s3-secret-of-this-test",
                "MAGIC_JDBC_URL", "jdbc:postgresql://db:5432/m",
                "MAGIC_JDBC_USER", "m",
                "MAGIC_JDBC_PASSWORD", "db-password-of-this-test"));
    for (String secret : new String[] {KEY, "s3-secret-of-this-test", "db-password-of-this-test"}) {
      assertFalse(c.toString().contains(secret), c.toString());
    }
  }

  @Test
  void theApiKeyIsSentAsABearerTokenOverTls() throws Exception {
    WorkflowServiceStubsOptions o =
        Connections.stubOptions(settings("MAGIC_TEMPORAL_API_KEY", KEY)).build();
    assertTrue(o.getEnableHttps(), "an API key only over TLS");
    Metadata sent = new Metadata();
    for (GrpcMetadataProvider p : o.getGrpcMetadataProviders()) {
      sent.merge(p.getMetadata());
    }
    assertEquals(
        "Bearer " + KEY,
        sent.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
  }

  @Test
  void caClientCertificateAndServerNameMakeTheTlsContextAndAuthority() throws Exception {
    WorkflowServiceStubsOptions o =
        Connections.stubOptions(
                settings(
                    "MAGIC_TEMPORAL_TLS_CA", tls("ca.pem").toString(),
                    "MAGIC_TEMPORAL_TLS_CERT", tls("client.pem").toString(),
                    "MAGIC_TEMPORAL_TLS_KEY", tls("client.key").toString(),
                    "MAGIC_TEMPORAL_TLS_SERVER_NAME", "temporal.internal"))
            .build();
    assertNotNull(o.getSslContext());
    assertTrue(o.getSslContext().isClient());
    assertTrue(
        o.getGrpcMetadataProviders() == null || o.getGrpcMetadataProviders().isEmpty(),
        "no API key, no authorization header");
    NettyChannelBuilder channel = NettyChannelBuilder.forTarget("10.0.0.1:7233");
    o.getChannelInitializer().accept(channel);
    ManagedChannel built = channel.build(); // connects lazily: nothing is dialled
    try {
      assertEquals("temporal.internal", built.authority());
    } finally {
      built.shutdownNow();
    }
  }

  @Test
  void aCaThatIsNotACertificateFailsNamingTheVariables(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    var e =
        assertThrows(
            java.io.IOException.class,
            () -> Connections.stubOptions(settings("MAGIC_TEMPORAL_TLS_CA", bad.toString())));
    assertTrue(e.getMessage().contains("MAGIC_TEMPORAL_TLS_CA"), e.getMessage());
  }

  @Test
  void withoutTlsSettingsThePlainConnectionIsKept() throws Exception {
    WorkflowServiceStubsOptions o = Connections.stubOptions(settings()).build();
    assertNull(o.getSslContext());
    assertFalse(o.getEnableHttps());
    assertNull(o.getChannelInitializer());
    assertEquals("temporal.example.com:7233", o.getTarget());
  }
}
