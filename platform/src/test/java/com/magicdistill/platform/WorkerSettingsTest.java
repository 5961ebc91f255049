package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.activities.CodeVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The worker's settings from the environment: defaults, overrides, errors that name the variable.
 */
class WorkerSettingsTest {
  @Test
  void unsetVariablesKeepTheDefaults() {
    WorkerSettings s = PlatformConfig.fromEnv(Map.of("MAGIC_HOME", "/tmp/h")).worker();
    assertEquals(Duration.ofSeconds(10), s.reconcileEvery());
    assertEquals(Duration.ofSeconds(1800), s.stallLimit());
    assertEquals(CodeVersion.ofBuild(), s.codeVersion());
    assertEquals(null, s.drainDeadline(), "no drain deadline: every stage checkpoints");
    assertEquals(Duration.ofSeconds(1), s.heartbeatThrottle());
    assertEquals(s, WorkerSettings.fromEnv(Map.of("MAGIC_CODE_VERSION", " ")));
  }

  @Test
  void aFaultStageErrorNamesOneStageOfOneRunOrIsRefused() {
    assertEquals(null, WorkerSettings.defaults().injectedStageError());
    assertEquals(
        "r-fail/fine-tune",
        WorkerSettings.fromEnv(Map.of("MAGIC_FAULT_STAGE_ERROR", " r-fail/fine-tune "))
            .injectedStageError());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WorkerSettings.fromEnv(Map.of("MAGIC_FAULT_STAGE_ERROR", "fine-tune")));
    assertTrue(e.getMessage().startsWith("MAGIC_FAULT_STAGE_ERROR is invalid"), e.getMessage());
  }

  @Test
  void theEnvironmentOverridesEachSetting() {
    WorkerSettings s =
        PlatformConfig.fromEnv(
                Map.of(
                    "MAGIC_RECONCILE_SECONDS", "2",
                    "MAGIC_STALL_SECONDS", " 60 ",
                    "MAGIC_CODE_VERSION", "v0.2.0\n",
                    "MAGIC_DRAIN_SECONDS", "90",
                    "MAGIC_HEARTBEAT_THROTTLE_SECONDS", "10"))
            .worker();
    assertEquals(Duration.ofSeconds(10), s.heartbeatThrottle());
    assertEquals(Duration.ofSeconds(90), s.drainDeadline());
    assertEquals(Duration.ofSeconds(2), s.reconcileEvery());
    assertEquals(Duration.ofSeconds(60), s.stallLimit());
    assertEquals("v0.2.0", s.codeVersion());
  }

  @Test
  void embeddedDefaultsCarryDefaultWorkerSettings() {
    assertEquals(
        WorkerSettings.defaults(),
        PlatformConfig.embeddedDefaults(Path.of("/tmp/h"), 1, 2, 3).worker());
  }

  @ParameterizedTest
  @CsvSource({
    "MAGIC_RECONCILE_SECONDS, ten",
    "MAGIC_RECONCILE_SECONDS, 0",
    "MAGIC_STALL_SECONDS, -5",
    "MAGIC_STALL_SECONDS, 1.5",
    "MAGIC_DRAIN_SECONDS, 0",
    "MAGIC_DRAIN_SECONDS, 1m",
    "MAGIC_HEARTBEAT_THROTTLE_SECONDS, 0",
    "MAGIC_HEARTBEAT_THROTTLE_SECONDS, 0.5",
  })
  void anInvalidValueIsRejectedNamingTheVariable(String name, String value) {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> PlatformConfig.fromEnv(Map.of(name, value)));
    assertTrue(e.getMessage().startsWith(name + " is invalid (got " + value + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("whole number of seconds"), e.getMessage());
  }

  /** The throttle reaches the Temporal workers' options; 1 s unless set. */
  @Test
  void theHeartbeatThrottleIsTheWorkersMaximumInterval() {
    assertEquals(
        Duration.ofSeconds(1),
        WorkerProcess.baseOptions(WorkerSettings.defaults(), true)
            .build()
            .getMaxHeartbeatThrottleInterval());
    WorkerSettings ten = WorkerSettings.fromEnv(Map.of("MAGIC_HEARTBEAT_THROTTLE_SECONDS", "10"));
    assertEquals(
        Duration.ofSeconds(10),
        WorkerProcess.baseOptions(ten, false).build().getMaxHeartbeatThrottleInterval());
  }
}
