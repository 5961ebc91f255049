package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ProcessSettingsTest {
  @Test
  void defaultsKeepTodaysBehaviour() {
    ProcessSettings p = PlatformConfig.fromEnv(Map.of("MAGIC_HOME", "/tmp/x")).process();
    assertTrue(p.migrate());
    assertEquals(5, p.poolSize());
    assertEquals(OptionalInt.empty(), p.metricsPort());
    assertEquals(null, p.workerIdentity());
    assertTrue(
        WorkerMain.identity(PlatformConfig.embeddedDefaults(Path.of("/tmp/x"), 1, 2, 3))
            .startsWith("worker-"));
  }

  @Test
  void readsEachVariable() {
    PlatformConfig c =
        PlatformConfig.fromEnv(
            Map.of(
                "MAGIC_DB_MIGRATE", "validate",
                "MAGIC_JDBC_POOL_SIZE", "2",
                "MAGIC_METRICS_PORT", "9500",
                "MAGIC_WORKER_IDENTITY", "magicdistill-gpu-7d9f-abcde"));
    ProcessSettings p = c.process();
    assertFalse(p.migrate());
    assertEquals(2, p.poolSize());
    assertEquals(OptionalInt.of(9500), p.metricsPort());
    assertEquals("magicdistill-gpu-7d9f-abcde", WorkerMain.identity(c));
  }

  @Test
  void invalidValuesNameTheVariable() {
    for (var bad :
        Map.of(
                "MAGIC_DB_MIGRATE", "yes",
                "MAGIC_JDBC_POOL_SIZE", "0",
                "MAGIC_METRICS_PORT", "http")
            .entrySet()) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PlatformConfig.fromEnv(Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage().startsWith(bad.getKey() + " is invalid"), e.getMessage());
    }
  }
}
