package com.magicdistill.platform;

/**
 * What the Temporal test server's own JVM runs ({@link TemporalServerProcess}): the test server on
 * 127.0.0.1:{@code port} until the JVM that started it ends, however it ends (as {@link
 * S3ProxyChildMain} does for S3Proxy). Arguments: the starting JVM's pid, the port.
 */
public final class TemporalChildMain {
  private TemporalChildMain() {}

  public static void main(String[] args) throws Exception {
    long parentPid = Long.parseLong(args[0]);
    int port = Integer.parseInt(args[1]);
    ProcessHandle parent =
        ProcessHandle.current().parent().filter(p -> p.pid() == parentPid).orElse(null);
    if (parent == null) {
      System.err.println(
          "Temporal test server not started: the process that started it ("
              + parentPid
              + ") ended");
      System.exit(1);
    }
    parent.onExit().thenRun(() -> System.exit(0));
    EmbeddedTemporal server = EmbeddedTemporal.start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Thread.currentThread().join(); // until killed or the parent ends
  }
}
