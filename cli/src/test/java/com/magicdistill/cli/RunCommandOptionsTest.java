package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code magic run} and {@code magic runs} at the picocli level, in process: bad options end with
 * exit code 2 and one line naming the flag, before any platform is contacted.
 */
@Timeout(60)
class RunCommandOptionsTest {
  record Outcome(int code, String out, String err) {}

  /** Runs the CLI with stdout and stderr captured. */
  static synchronized Outcome magic(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = MagicCli.run(args);
      return new Outcome(
          code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  static void assertUsageError(Outcome o, String flag) {
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(flag), "should name " + flag + ": " + o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
  }

  @Test
  void aSpecThatIsNotJsonNamesTheFlagAndTheFile(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, "{ \"preset\": \"smoke\", ");
    Outcome o = magic("run", "--detach", "--spec", spec.toString());
    assertUsageError(o, "--spec");
    assertTrue(o.err().contains(spec.toString()), o.err());
  }

  @Test
  void aMissingSpecFileNamesTheFlag(@TempDir Path dir) {
    assertUsageError(
        magic("run", "--detach", "--spec", dir.resolve("nope.json").toString()), "--spec");
  }

  @Test
  void reuseWithoutAStageNamesTheFlagAndTheFormat() {
    Outcome o = magic("run", "--detach", "--reuse", "r-1");
    assertUsageError(o, "--reuse");
    assertTrue(o.err().contains("RUN_ID:STAGE"), o.err());
  }

  @Test
  void reuseWithAnUnknownStageNamesTheFlag() {
    Outcome o = magic("run", "--detach", "--reuse", "r-1:polish");
    assertUsageError(o, "--reuse");
    assertTrue(o.err().contains("dmd-lora"), "lists the stages: " + o.err());
  }

  @Test
  void aQueueWithoutEqualsSignNamesTheFlag() {
    assertUsageError(magic("run", "--detach", "--queue", "evaluate"), "--queue");
  }

  @Test
  void aQueueForAnUnknownStageNamesTheFlag() {
    assertUsageError(magic("run", "--detach", "--queue", "polish=cpu"), "--queue");
  }

  @Test
  void alphaWeakOutOfRangeNamesTheFlag() {
    assertUsageError(magic("run", "--detach", "--alpha-weak", "2"), "--alpha-weak");
    assertUsageError(magic("run", "--detach", "--alpha-weak", "-0.5"), "--alpha-weak");
  }

  @Test
  void retryBudgetOptionsAreValidatedNamingTheFlag() {
    assertUsageError(magic("run", "--detach", "--error-attempts", "0"), "--error-attempts");
    assertUsageError(
        magic("run", "--detach", "--preemptions-before-fallback", "2"), "--fallback-queue");
    assertUsageError(
        magic("run", "--detach", "--fallback-queue", "od"), "--preemptions-before-fallback");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertUsageError(magic("run", "--detach", "--alpha-week", "0.5"), "--alpha-week");
  }

  /** In a child JVM, to point it at a port where nothing listens (a platform may be up here). */
  @Test
  void runsWithNoDatabaseSaysHowToStartOneWithoutAStackTrace() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                MagicCli.class.getName(),
                "runs")
            .redirectErrorStream(true);
    pb.environment().put("MAGIC_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
    pb.environment().put("MAGIC_JDBC_USER", "postgres");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    Outcome o = new Outcome(p.exitValue(), "", out);
    assertUsageError(o, "./magic up");
    assertTrue(out.contains("127.0.0.1:" + port), out);
    assertFalse(out.contains("PSQLException"), out);
  }
}
