package com.magicdistill.cli;

import com.magicdistill.platform.ConsoleProcess;
import com.magicdistill.platform.PlatformConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic console}: the web console and REST API alone, against the configured services. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description =
        "Start the web console and the REST API (/api/v1) against the services MAGIC_* configures"
            + " (default: the embedded ones ./magic up started). Ctrl-C stops.")
final class ConsoleCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Override
  public Integer call() throws Exception {
    PlatformConfig config = PlatformSession.config();
    ConsoleProcess console = ConsoleProcess.start(config, port, true);
    Runtime.getRuntime().addShutdownHook(new Thread(console::close));
    if (console.awaitReady(java.time.Duration.ofMinutes(3))) {
      System.out.println(
          "MagicDistill console: " + console.url() + " (" + ConsoleProcess.loginHint(config) + ")");
    }
    return console.waitFor();
  }
}
