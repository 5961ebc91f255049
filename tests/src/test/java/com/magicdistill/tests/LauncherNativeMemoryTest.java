package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./magic} starts the JVM with glibc keeping freed libtorch memory for reuse
 * (docs/EVALUATION.md#native-memory), keeps a user's own MALLOC_* values, and {@code
 * MAGIC_MALLOC=glibc} leaves glibc's defaults; {@code --version} reports which one the process got.
 */
class LauncherNativeMemoryTest {
  static final Path LAUNCHER = Path.of("../magic");

  record Outcome(int code, String out) {}

  static Outcome magic(Map<String, String> env, String... args) throws Exception {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "bash";
    cmd[1] = LAUNCHER.toString();
    System.arraycopy(args, 0, cmd, 2, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // The test JVM itself runs with the setting (surefire sets it): start from a clean slate.
    pb.environment().remove("MALLOC_MMAP_MAX_");
    pb.environment().remove("MALLOC_TRIM_THRESHOLD_");
    pb.environment().remove("MAGIC_MALLOC");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    return new Outcome(p.exitValue(), out);
  }

  @Test
  void theLauncherTurnsOnMemoryReuseByDefault() throws Exception {
    Outcome o = magic(Map.of(), "--version");
    assertEquals(0, o.code(), o.out());
    assertTrue(o.out().contains("MagicDistill 0.1.0"), o.out());
    assertTrue(
        o.out()
            .contains(
                "native memory: glibc malloc, freed memory reused (MALLOC_MMAP_MAX_=0,"
                    + " MALLOC_TRIM_THRESHOLD_=68719476736)"),
        o.out());
  }

  @Test
  void aUsersOwnValuesAndTheOptOutAreKept() throws Exception {
    Outcome own = magic(Map.of("MALLOC_TRIM_THRESHOLD_", "1048576"), "--version");
    assertTrue(
        own.out()
            .contains("freed memory reused (MALLOC_MMAP_MAX_=0, MALLOC_TRIM_THRESHOLD_=1048576)"),
        own.out());
    Outcome glibc = magic(Map.of("MAGIC_MALLOC", "glibc"), "--version");
    assertEquals(0, glibc.code(), glibc.out());
    assertTrue(
        glibc
            .out()
            .contains(
                "native memory: glibc malloc defaults, large blocks mmapped afresh"
                    + " (MALLOC_MMAP_MAX_=unset, MALLOC_TRIM_THRESHOLD_=unset; ./magic sets them)"),
        glibc.out());
  }

  @Test
  void aBadSwitchIsRefusedNamingItsValues() throws Exception {
    Outcome o = magic(Map.of("MAGIC_MALLOC", "jemalloc"), "--version");
    assertEquals(2, o.code(), o.out());
    assertTrue(
        o.out().contains("MAGIC_MALLOC must be reuse (the default) or glibc, not 'jemalloc'"),
        o.out());
  }
}
