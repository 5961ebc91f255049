package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands log to $MAGIC_HOME/logs/ (services to the terminal) and say where when it matters. */
class CliLoggingTest {
  @TempDir Path home;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void clearLogFile() {
    System.clearProperty(CliLogging.LOG_FILE_PROPERTY);
  }

  private CliLogging configure(String... args) {
    return CliLogging.configure(args, Map.of("MAGIC_HOME", home.toString()));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aRunLogsToAFileUnderMagicHomeAndNamesIt() {
    CliLogging logging = configure("run", "--preset", "smoke");
    assertNotNull(logging);
    Path file = logging.file();
    assertEquals(home.resolve("logs"), file.getParent());
    assertTrue(file.getFileName().toString().matches("run-\\d{8}-\\d{6}\\.log"), file.toString());
    assertEquals(file.toString(), System.getProperty(CliLogging.LOG_FILE_PROPERTY));
    logging.started(new PrintStream(err, true, StandardCharsets.UTF_8));
    assertTrue(err().contains(file.toString()), err());
  }

  @Test
  void servicesHelpAndAChosenFileKeepTheirLogs() {
    assertNull(configure("up"));
    assertNull(configure("worker", "--queue", "gpu"));
    assertNull(configure());
    assertNull(configure("--help"));
    System.setProperty(CliLogging.LOG_FILE_PROPERTY, "System.out");
    assertNull(configure("run"));
    assertEquals("System.out", System.getProperty(CliLogging.LOG_FILE_PROPERTY));
  }

  @Test
  void aQuietSuccessSaysNothingAndDropsAnEmptyLog() throws Exception {
    CliLogging logging = configure("runs");
    PrintStream out = new PrintStream(err, true, StandardCharsets.UTF_8);
    logging.started(out);
    Files.createFile(logging.file());
    logging.finished(0, out);
    assertEquals("", err());
    assertFalse(Files.exists(logging.file()), "an empty log is removed");
  }

  @Test
  void aWarningOrAFailureNamesTheLog() throws Exception {
    CliLogging logging = configure("train");
    PrintStream out = new PrintStream(err, true, StandardCharsets.UTF_8);
    Files.writeString(
        logging.file(),
        "2026-12-01 10:00:00.000 [main] INFO com.magicdistill.X - fine\n"
            + "2026-12-01 10:00:01.000 [main] WARN com.magicdistill.Y - look at this\n");
    logging.finished(0, out);
    assertTrue(err().contains("1 warning(s)"), err());
    assertTrue(err().contains(logging.file().toString()), err());

    err.reset();
    Files.writeString(logging.file(), "2026-12-01 10:00:00.000 [main] INFO a.B - fine\n");
    logging.finished(0, out);
    assertEquals("", err(), "info lines alone are not news");
    logging.finished(1, out);
    assertTrue(err().contains("details in " + logging.file()), err());
  }
}
